/// `max|actual − reference| / max(max|reference|, floor)`: the error measure of the
/// conformance suite and of every numerical test, relative to the reference's scale
/// (DESIGN.md: attributions of an untrained net are tiny and of a trained one large).
///
/// When the scale is zero (an all-zero or empty reference, no `floor`) the measure is the
/// absolute error. Equal infinities, and NaNs at the same position, count as no
/// difference; any other NaN or infinity on either side makes the error infinite.
/// `floor` keeps a near-zero reference from turning rounding noise into a large ratio.
public func normalisedError(_ actual: [Double], _ reference: [Double], floor: Double = 0) -> Double {
    precondition(actual.count == reference.count, "comparing \(actual.count) values with \(reference.count)")
    var difference = 0.0, scale = floor
    for (a, r) in zip(actual, reference) {
        if !a.isFinite || !r.isFinite {
            if !(a == r || (a.isNaN && r.isNaN)) { difference = .infinity }
            continue
        }
        difference = max(difference, abs(a - r))
        scale = max(scale, abs(r))
    }
    return scale == 0 ? difference : difference / scale
}

/// ``normalisedError(_:_:floor:)-([Double],[Double],_)`` of float values against float references.
public func normalisedError(_ actual: [Float], _ reference: [Float], floor: Double = 0) -> Double {
    normalisedError(actual.map(Double.init), reference.map(Double.init), floor: floor)
}

/// ``normalisedError(_:_:floor:)-([Double],[Double],_)`` of float values against a Float64 reference.
public func normalisedError(_ actual: [Float], _ reference: [Double], floor: Double = 0) -> Double {
    normalisedError(actual.map(Double.init), reference, floor: floor)
}
