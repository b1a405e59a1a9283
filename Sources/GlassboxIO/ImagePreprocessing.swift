import GlassboxCore

/// How an ``Image`` becomes a model input: a float array of channels×height×width (CHW), made as
/// torchvision's `Resize`, `ToTensor` and `Normalize` make it.
///
/// The steps, in order: convert to ``channels`` channels (see ``Image/converted(toChannels:)``),
/// resize to ``size`` (with ``resampling`` and ``antialias``, in floats, as
/// ``Image/resized(height:width:resampling:antialias:)`` describes), divide by 255 when
/// ``scalesToUnitRange``, put the colour channels in ``channelOrder``, then subtract ``mean`` and
/// divide by ``std`` per channel.
public struct ImagePreprocessing: Sendable {
    /// The channels the model takes: 1 (gray), 3 (colour) or 4 (colour and alpha).
    public var channels: Int
    /// The height and width to resize to; nil keeps the image's size.
    public var size: (height: Int, width: Int)?
    /// Where resizing samples the image (PyTorch's `F.interpolate` modes).
    public var resampling: Resampling
    /// Whether bilinear downscaling averages over all the pixels each output pixel covers
    /// (torchvision's `Resize` and `F.interpolate(..., antialias=True)`; the default) rather than
    /// reading only the nearest two per axis.
    public var antialias: Bool
    /// Whether samples are divided by 255 (to 0…1, as `ToTensor` does) or kept in 0…255.
    public var scalesToUnitRange: Bool
    /// The order of the colour channels in the output; alpha stays last.
    public var channelOrder: ImageChannelOrder
    /// Subtracted from each output channel (in ``channelOrder``) after scaling; empty for none.
    public var mean: [Float]
    /// Each output channel (in ``channelOrder``) is divided by its entry after subtracting
    /// ``mean``; empty for none.
    public var std: [Float]

    /// A preprocessing; the defaults give RGB in 0…1 at the image's own size.
    public init(
        channels: Int = 3, size: (height: Int, width: Int)? = nil, resampling: Resampling = .bilinear,
        antialias: Bool = true, scalesToUnitRange: Bool = true, channelOrder: ImageChannelOrder = .rgb,
        mean: [Float] = [], std: [Float] = []
    ) {
        self.channels = channels
        self.size = size
        self.resampling = resampling
        self.antialias = antialias
        self.scalesToUnitRange = scalesToUnitRange
        self.channelOrder = channelOrder
        self.mean = mean
        self.std = std
    }

    /// The preprocessing of torchvision's ImageNet models: RGB resized to `size` (224×224 unless
    /// given), scaled to 0…1 and normalised with the ImageNet mean (0.485, 0.456, 0.406) and
    /// standard deviation (0.229, 0.224, 0.225).
    public static func imageNet(size: (height: Int, width: Int) = (224, 224)) -> ImagePreprocessing {
        ImagePreprocessing(size: size, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    }

    /// Checks that the settings describe a preprocessing that can run.
    ///
    /// - Throws: `GlassboxError.invalidArgument(_:)` naming the setting that is wrong.
    func validate() throws(GlassboxError) {
        guard Image.channelCounts.contains(channels) else {
            throw .invalidArgument("a model input image has 1, 3 or 4 channels, not \(channels)")
        }
        if let size, size.height <= 0 || size.width <= 0 {
            throw .invalidArgument("cannot resize an image to \(size.height)×\(size.width)")
        }
        for (name, values) in [("mean", mean), ("std", std)] where !values.isEmpty && values.count != channels {
            throw .invalidArgument("\(name) has \(values.count) values for \(channels) channels")
        }
        guard mean.allSatisfy(\.isFinite), std.allSatisfy({ $0.isFinite && $0 != 0 }) else {
            throw .invalidArgument("mean must be finite and std finite and non-zero")
        }
    }
}
