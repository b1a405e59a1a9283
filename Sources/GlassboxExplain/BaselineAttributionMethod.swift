/// An attribution method that starts from a ``Baseline`` (Integrated Gradients' path
/// start), so a wrapper can give it a baseline of its own making: ``LayerAttribution``
/// maps a baseline input through the layer it explains.
public protocol BaselineAttributionMethod: AttributionMethod {
    /// The same method starting from `baseline`.
    func replacingBaseline(_ baseline: Baseline) -> Self
}
