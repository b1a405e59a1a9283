/// max|actual − reference| / max(max|reference|, floor): the error measure of every
/// numerical test, relative to the reference's scale (the absolute error when
/// the scale is zero; infinite when either side holds a NaN). `floor` keeps a
/// near-zero reference from turning rounding noise into a large ratio.
public func relativeError(_ actual: [Double], _ reference: [Double], floor: Double = 0) -> Double {
    precondition(actual.count == reference.count, "comparing \(actual.count) values with \(reference.count)")
    var difference = 0.0, scale = floor
    for (a, r) in zip(actual, reference) {
        difference = max(difference, abs(a - r))
        if a.isNaN || r.isNaN { difference = .infinity }
        scale = max(scale, abs(r))
    }
    return scale == 0 ? difference : difference / scale
}

public func relativeError(_ actual: [Float], _ reference: [Double]) -> Double {
    relativeError(actual.map(Double.init), reference)
}

public func relativeError(_ actual: [Float], _ reference: [Float], floor: Double = 0) -> Double {
    relativeError(actual.map(Double.init), reference.map(Double.init), floor: floor)
}
