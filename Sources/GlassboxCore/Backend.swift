/// The operations every compute backend provides, on ``Tensor``s it owns.
///
/// Glassbox uses backends as `any Backend`, chosen at run time: the ``CPUBackend``
/// or an OpenCL device. Every backend must agree with the readable `ReferenceBackend`
/// (module GlassboxReference) within a per-operation tolerance and, for random
/// operations, exactly in the random numbers drawn (see ``Philox``); the conformance
/// suite (module GlassboxConformance) checks every operation.
///
/// Unless stated otherwise, image tensors are NCHW, operations return new
/// tensors, and a shape disagreement throws ``GlassboxError/shapeMismatch(_:)``.
public protocol Backend: AnyObject, Sendable {
    /// A short human-readable name ("cpu", "opencl:0 NVIDIA H100").
    var name: String { get }
    /// The bytes of memory tensors on this backend may occupy (the device's
    /// global memory, or the host's physical memory for the CPU backend).
    var memoryCapacity: Int { get }

    // MARK: Memory

    /// Copies host values to a new tensor; `values.count` must equal `shape.count`.
    func upload(_ values: [Float], shape: Shape) throws -> Tensor
    /// Copies a tensor's values to the host in row-major order.
    func download(_ tensor: Tensor) throws -> [Float]
    /// A tensor with every element equal to `value`.
    func filled(_ shape: Shape, value: Float) throws -> Tensor
    /// Waits until every operation enqueued so far has finished (for timing;
    /// reading a tensor back synchronises by itself).
    func synchronize() throws

    // MARK: Linear algebra

    /// General matrix multiply of rank-2 tensors: `alpha·op(a)·op(b) + beta·c`,
    /// where `op` transposes when asked. `c` may be nil when `beta` is 0.
    func gemm(
        _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool,
        alpha: Float, beta: Float, accumulator c: Tensor?
    ) throws -> Tensor
    /// Adds `bias` (shape (C)) along axis 1 of `x` (N×C or N×C×…).
    func addBias(_ x: Tensor, _ bias: Tensor) throws -> Tensor

    // MARK: Convolution (NCHW input, OIHW weights with I = C/groups)

    /// 2-D cross-correlation, as in PyTorch's `conv2d` and ONNX `Conv`.
    func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, window: Window2D, groups: Int) throws -> Tensor
    /// The gradient of ``conv2d(_:weight:bias:window:groups:)-(Tensor,_,_,_,_)`` with respect to its input.
    func conv2dBackwardData(
        _ gradOutput: Tensor, weight: Tensor, inputShape: Shape,
        window: Window2D, groups: Int
    ) throws -> Tensor
    /// The gradient of ``conv2d(_:weight:bias:window:groups:)-(Tensor,_,_,_,_)`` with respect to its weight.
    func conv2dBackwardFilter(
        _ gradOutput: Tensor, input: Tensor, weightShape: Shape,
        window: Window2D, groups: Int
    ) throws -> Tensor

    // MARK: Pooling

    /// Max or average pooling over 2-D windows (NCHW).
    func pool2d(_ input: Tensor, kind: PoolingKind, window: Window2D) throws -> Tensor
    /// The gradient of ``pool2d(_:kind:window:)`` with respect to its input. Max
    /// pooling sends each output's gradient to the first maximal input of its window.
    func pool2dBackward(_ gradOutput: Tensor, input: Tensor, kind: PoolingKind, window: Window2D) throws -> Tensor

    // MARK: Activations

    /// Applies a pointwise nonlinearity.
    func activation(_ x: Tensor, _ kind: ActivationKind) throws -> Tensor
    /// The true gradient through ``activation(_:_:)`` given its input and output.
    func activationBackward(_ gradOutput: Tensor, input: Tensor, output: Tensor, kind: ActivationKind) throws -> Tensor
    /// The backward pass of a ReLU under a ``ReLUBackwardMode``.
    func reluBackward(_ gradOutput: Tensor, input: Tensor, mode: ReLUBackwardMode) throws -> Tensor

    // MARK: Elementwise

    /// `a op b` with NumPy broadcasting; the result has the broadcast shape.
    func binary(_ a: Tensor, _ b: Tensor, _ operation: BinaryOperation) throws -> Tensor
    /// An elementwise function of one tensor.
    func unary(_ x: Tensor, _ operation: UnaryOperation) throws -> Tensor
    /// `scale·x + shift`, elementwise.
    func affine(_ x: Tensor, scale: Float, shift: Float) throws -> Tensor
    /// `alpha·x + y` for tensors of equal shape.
    func axpy(alpha: Float, _ x: Tensor, _ y: Tensor) throws -> Tensor
    /// `numerator / (denominator + ε·sign(denominator))` for tensors of equal shape, with
    /// sign(0) = +1 and 0 wherever that stabilised denominator is 0 (ε = 0): the
    /// quotient every LRP rule divides relevance by (Bach et al. 2015; Zennit's `stabilize`).
    func stabilizedDivide(_ numerator: Tensor, _ denominator: Tensor, epsilon: Float) throws -> Tensor

    // MARK: Softmax

    /// Softmax (or log-softmax) along `axis`, subtracting the maximum first.
    func softmax(_ x: Tensor, axis: Int, logarithm: Bool) throws -> Tensor
    /// The gradient of ``softmax(_:axis:logarithm:)`` given its output.
    func softmaxBackward(_ gradOutput: Tensor, output: Tensor, axis: Int, logarithm: Bool) throws -> Tensor

    // MARK: Reductions and shapes

    /// Sum, mean or max over `axes`; the reduced axes are kept with extent 1 or dropped.
    func reduce(_ x: Tensor, axes: [Int], _ kind: ReductionKind, keepDimensions: Bool) throws -> Tensor
    /// Repeats `x` along its axes of extent 1 (NumPy broadcasting) to `shape`.
    func broadcast(_ x: Tensor, to shape: Shape) throws -> Tensor
    /// Joins tensors along `axis`; all other extents must agree.
    func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor
    /// `x` with its axes reordered: axis i of the result is axis `permutation[i]` of `x` (NumPy `transpose`).
    func transpose(_ x: Tensor, permutation: [Int]) throws -> Tensor
    /// The part of `x` whose index along `axis` lies in `range`.
    func slice(_ x: Tensor, axis: Int, range: Range<Int>) throws -> Tensor
    /// The rows of the V×D `table` at `indices` (any shape S, float values): S + [D], whose
    /// row at index position p is row `Int(indices[p])` of the table, as PyTorch's
    /// `embedding` and ONNX `Gather` along axis 0 read token ids carried as floats (exact up
    /// to 2²⁴). An index that is not an integral value in `0 ..< V` gives a row of zeros;
    /// callers validate ids first. Throws unless `table` is rank 2.
    func gatherRows(_ table: Tensor, indices: Tensor) throws -> Tensor
    /// The sum of the rows of `values` (S + [D]) at `indices` (S): `rows`×D, whose row v is
    /// the sum, in index order, of the value rows whose index is v (zero where none is) —
    /// the gradient of ``gatherRows(_:indices:)`` with respect to its table. Indices that are
    /// not integral values in `0 ..< rows` are skipped.
    func scatterAddRows(_ values: Tensor, indices: Tensor, rows: Int) throws -> Tensor
    /// Batch normalisation in inference form along axis 1:
    /// `scale·(x − mean)/√(variance + epsilon) + offset` (Ioffe & Szegedy 2015).
    func batchNorm(
        _ x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor, offset: Tensor,
        epsilon: Float
    ) throws -> Tensor

    // MARK: Random numbers (Philox-4x32-10, identical on every backend)

    /// Uniform numbers in (0, 1); element i is draw `stream.offset + i` of ``Philox``.
    func randomUniform(_ shape: Shape, stream: RandomStream) throws -> Tensor
    /// Standard normal numbers scaled to `mean + standardDeviation·z`; element i is
    /// normal draw `stream.offset + i` of ``Philox``.
    func randomNormal(_ shape: Shape, mean: Float, standardDeviation: Float, stream: RandomStream) throws -> Tensor
    /// Inverted-dropout mask: 0 with probability `probability`, else `1/(1 − probability)`;
    /// element i keeps when uniform draw `stream.offset + i` is ≥ `probability`.
    func dropoutMask(_ shape: Shape, probability: Float, stream: RandomStream) throws -> Tensor

    // MARK: Batched sampling

    /// N copies of a one-sample input `(1, …)` with Gaussian noise of standard
    /// deviation `standardDeviation` added: `(N, …)`. Sample n, element i draws
    /// normal `stream.offset + n·sampleCount + i`, so chunked batches equal one batch.
    func noisyBatch(_ input: Tensor, count: Int, standardDeviation: Float, stream: RandomStream) throws -> Tensor
    /// `baseline + αₖ·(input − baseline)` for each αₖ: `(K, …)` from one-sample `(1, …)` tensors.
    func interpolationBatch(_ input: Tensor, baseline: Tensor, alphas: [Float]) throws -> Tensor
    /// Copies of a one-sample input `(1, …)` with one window each set to `baseline`:
    /// `(positions.count, …)`, the batch of Captum's `Occlusion` (Zeiler & Fergus 2014).
    ///
    /// `window` and `strides` give one extent and one step per sample axis (C, H, W
    /// for NCHW). Sample n of the result is the input with the window of position
    /// number `positions.lowerBound + n` (see ``OcclusionPlan``: `ceil((Dₐ − wₐ)/sₐ) + 1`
    /// positions per axis, starting at `k·sₐ`, cut at the border, the first axis
    /// numbered fastest as in Captum) set exactly to `baseline`; every other element
    /// is the input's. Chunks of the position numbers give the same samples as one batch.
    ///
    /// Throws as ``OcclusionPlan/init(input:window:strides:)`` does, and
    /// ``GlassboxError/invalidArgument(_:)`` when `positions` is empty or leaves
    /// `0 ..< positionCount`.
    func occlusionBatch(_ input: Tensor, window: [Int], strides: [Int], baseline: Float, positions: Range<Int>) throws
        -> Tensor
    /// Copies of a one-sample input with interpretable features switched off: the batch
    /// of LIME (Ribeiro, Singh & Guestrin 2016, "Why should I trust you?"), KernelSHAP and
    /// Shapley values (Lundberg & Lee 2017, "A unified approach to interpreting model
    /// predictions").
    ///
    /// `input` is `(1, …)` with E elements; `features` has E elements (any shape) giving
    /// each element's feature number as a float — an element whose number is not an
    /// integral value in `0 ..< F` (−1 for padding, say) is never switched off; `fill` is
    /// `(R, …)` with E elements per row (one baseline, or R background rows as `shap`'s
    /// `KernelExplainer` takes); `masks` is `(N, F)`, a nonzero entry (NaN included)
    /// meaning "feature present". The result is `(N·R, …)`, the input's sample shape, whose
    /// sample `n·R + r` has element e = `masks[n, f(e)] != 0 ? input[e] : fill[r, e]`: an
    /// exact copy.
    ///
    /// Throws as ``PerturbationPlans/maskedBatchShape(input:features:fill:masks:)`` does.
    func maskedBatch(_ input: Tensor, features: Tensor, fill: Tensor, masks: Tensor) throws -> Tensor
    /// Each row along the last axis (of length T) with the elements equal to `value` taken
    /// out, the others kept in order at the front and the row filled up to T with
    /// `padding`: same shape as `x`. Words removed from token ids (carried as floats), as
    /// `lime`'s `LimeTextExplainer` removes words (Ribeiro et al. 2016). An exact copy;
    /// −0 equals 0, and a NaN `value` removes nothing.
    ///
    /// Throws ``GlassboxError/shapeMismatch(_:)`` for a scalar.
    func packRows(_ x: Tensor, removing value: Float, padding: Float) throws -> Tensor
    /// RISE's random masks (Petsiuk, Das & Saenko 2018, "RISE: Randomized input sampling
    /// for explanation of black-box models"), as `generate_masks` of the reference code
    /// (github.com/eclique/RISE, `explanations.py`) makes them: `(samples.count, 1, height,
    /// width)`.
    ///
    /// Mask n (n in `samples`, so chunks equal one batch) reads the uniform draws
    /// `stream.offset + n·(cells² + 2) + k`: for k < cells² the grid cell k (row-major) is
    /// 1 when the draw is below `probability`, else 0; then draw a gives the row shift
    /// `⌊a·cellHeight⌋` and draw b the column shift `⌊b·cellWidth⌋` (cell sizes
    /// `⌈height/cells⌉`, `⌈width/cells⌉`). The grid is upsampled bilinearly to
    /// `(cells + 1)·cellHeight × (cells + 1)·cellWidth` as scikit-image's `resize(grid,
    /// up_size, order=1, mode='reflect', anti_aliasing=False)` does, and the mask is its
    /// `height × width` window from (row shift, column shift). The upsampling is computed
    /// in the float32 operations of ``RISEMaskPlan/tap(_:upsampledSize:)`` and
    /// ``RISEMaskPlan/interpolate(_:_:_:_:rowWeight:columnWeight:)`` on every backend, so
    /// the masks are bit-identical; scikit-image computes in Float64 (within a float32
    /// rounding of these).
    ///
    /// Throws as ``RISEMaskPlan/init(height:width:cells:probability:samples:)`` does.
    func riseMasks(
        height: Int, width: Int, cells: Int, probability: Float, stream: RandomStream, samples: Range<Int>
    ) throws -> Tensor
    /// The per-element mean and sum of squared deviations over axis 0, computed
    /// stably (Welford), as a ``SampleStatistics`` that merges with others.
    func sampleStatistics(_ batch: Tensor) throws -> SampleStatistics

    // MARK: Fused operations (each equals the composition of the operations above;
    // `Backend+Fusions.swift` gives that composition, which a backend may replace by one kernel)

    /// ``conv2d(_:weight:bias:window:groups:)-(Tensor,_,_,_,_)`` of the noisy copies `batch`, which a
    /// backend may draw inside the convolution's input read instead of storing them.
    func conv2d(_ batch: NoisyBatch, weight: Tensor, bias: Tensor?, window: Window2D, groups: Int) throws -> Tensor
    /// ``conv2dBackwardData(_:weight:inputShape:window:groups:)`` passed back through the
    /// ReLU `gate` that produced the convolution's input.
    func conv2dBackwardData(
        _ gradOutput: Tensor, weight: Tensor, inputShape: Shape, window: Window2D, groups: Int,
        through gate: ReLUBackwardGate
    ) throws -> Tensor
    /// ``pool2dBackward(_:input:kind:window:)`` passed back through the ReLU `gate` that
    /// produced the pooling's input.
    func pool2dBackward(
        _ gradOutput: Tensor, input: Tensor, kind: PoolingKind, window: Window2D,
        through gate: ReLUBackwardGate
    ) throws -> Tensor
    /// The ``sampleStatistics(_:)`` over the batch of ``conv2dBackwardData(_:weight:inputShape:window:groups:)``,
    /// of its absolute value when `absolute`: the per-sample input gradients reduced as
    /// they are computed (SmoothGrad's mean needs no gradient stored per sample).
    func conv2dBackwardDataStatistics(
        _ gradOutput: Tensor, weight: Tensor, inputShape: Shape, window: Window2D,
        groups: Int, absolute: Bool
    ) throws -> SampleStatistics
}
