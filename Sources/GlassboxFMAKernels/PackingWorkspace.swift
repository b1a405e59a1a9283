/// The packed-panel buffers one thread's matrix products pack into, owned by
/// the caller, who reuses them across products so packing touches warm pages.
public struct PackingWorkspace {
    /// Room for a packed block of A: ``PackedGEMM``'s 96 rows × 256 deep.
    public let panelA: UnsafeMutablePointer<Float>
    /// Room for a packed panel of B: 256 deep × 2048 columns.
    public let panelB: UnsafeMutablePointer<Float>
    /// Floats ``panelA`` must hold.
    public static let panelACapacity = PackedGEMM.mc * PackedGEMM.kc
    /// Floats ``panelB`` must hold.
    public static let panelBCapacity = PackedGEMM.kc * PackedGEMM.nc

    /// Buffers of at least ``panelACapacity`` and ``panelBCapacity`` floats.
    public init(panelA: UnsafeMutablePointer<Float>, panelB: UnsafeMutablePointer<Float>) {
        self.panelA = panelA
        self.panelB = panelB
    }
}
