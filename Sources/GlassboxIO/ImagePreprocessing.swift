import GlassboxCore

/// How an ``Image`` becomes a model input: a float array of channels×height×width (CHW), made as
/// torchvision's `Resize`, `CenterCrop`, `ToTensor` and `Normalize` make it.
///
/// The steps, in order: convert to ``channels`` channels (see ``Image/converted(toChannels:)``),
/// resize to ``size`` or so that the shorter side is ``shorterSide`` (with ``resampling`` and
/// ``antialias``, in floats, as ``Image/resized(height:width:resampling:antialias:)``
/// describes), keep the centred ``centerCrop``, divide by 255 when ``scalesToUnitRange``, put the
/// colour channels in ``channelOrder``, then subtract ``mean`` and divide by ``std`` per channel.
///
/// ``imageNetCenterCrop(size:)`` is the recipe of torchvision's ImageNet classifiers
/// (`torchvision.transforms._presets.ImageClassification`: `Resize(256)`, `CenterCrop(224)`,
/// `ToTensor()`, `Normalize(mean, std)`, see
/// <https://pytorch.org/vision/stable/models.html#using-the-pre-trained-models>). Resizing runs
/// on floats, as torchvision's transforms do on a float tensor (equal to them within float
/// rounding); on a PIL image they resize with Pillow's 8-bit fixed-point filter, whose pixels
/// differ from the float ones by about 1/255.
public struct ImagePreprocessing: Sendable {
    /// The channels the model takes: 1 (gray), 3 (colour) or 4 (colour and alpha).
    public var channels: Int
    /// The height and width to resize to; nil keeps the image's size (or resizes by
    /// ``shorterSide``).
    public var size: (height: Int, width: Int)?
    /// The length to resize the shorter side to when ``size`` is nil, keeping the aspect ratio:
    /// the longer side becomes `⌊shorterSide · longer / shorter⌋`, as torchvision's
    /// `Resize(int)` computes it; nil keeps the image's size.
    public var shorterSide: Int?
    /// The height and width of the region kept after resizing, centred as torchvision's
    /// `CenterCrop` centres it (the offset `round((resized − crop) / 2)`, halves to even, as
    /// Python's `round`); nil keeps the whole image. It must fit in the resized image.
    public var centerCrop: (height: Int, width: Int)?
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
        channels: Int = 3, size: (height: Int, width: Int)? = nil, shorterSide: Int? = nil,
        centerCrop: (height: Int, width: Int)? = nil, resampling: Resampling = .bilinear,
        antialias: Bool = true, scalesToUnitRange: Bool = true, channelOrder: ImageChannelOrder = .rgb,
        mean: [Float] = [], std: [Float] = []
    ) {
        self.channels = channels
        self.size = size
        self.shorterSide = shorterSide
        self.centerCrop = centerCrop
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

    /// The preprocessing of torchvision's ImageNet classifiers for a model input of `size`
    /// (224×224 unless given): RGB resized so that its shorter side is
    /// `round(max(height, width) · 256 / 224)` (256 for 224, 342 for Inception's 299), the
    /// centred `size` kept, scaled to 0…1 and normalised with the ImageNet mean (0.485, 0.456,
    /// 0.406) and standard deviation (0.229, 0.224, 0.225).
    public static func imageNetCenterCrop(size: (height: Int, width: Int) = (224, 224)) -> ImagePreprocessing {
        let side = Int((Double(max(size.height, size.width)) * 256 / 224).rounded())
        var preprocessing = imageNet()
        preprocessing.size = nil
        preprocessing.shorterSide = side
        preprocessing.centerCrop = size
        return preprocessing
    }

    /// The height and width of the array made from an image of `height`×`width` pixels: after
    /// resizing and cropping.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        centerCrop ?? resizedSize(height: height, width: width)
    }

    /// The height and width an image of `height`×`width` pixels is resized to.
    func resizedSize(height: Int, width: Int) -> (height: Int, width: Int) {
        if let size { return size }
        guard let shorterSide else { return (height, width) }
        return height <= width
            ? (shorterSide, Int(Double(shorterSide) * Double(width) / Double(height)))
            : (Int(Double(shorterSide) * Double(height) / Double(width)), shorterSide)
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
        if let shorterSide, shorterSide <= 0 {
            throw .invalidArgument("cannot resize an image's shorter side to \(shorterSide)")
        }
        if let centerCrop, centerCrop.height <= 0 || centerCrop.width <= 0 {
            throw .invalidArgument("cannot crop an image to \(centerCrop.height)×\(centerCrop.width)")
        }
        for (name, values) in [("mean", mean), ("std", std)] where !values.isEmpty && values.count != channels {
            throw .invalidArgument("\(name) has \(values.count) values for \(channels) channels")
        }
        guard mean.allSatisfy(\.isFinite), std.allSatisfy({ $0.isFinite && $0 != 0 }) else {
            throw .invalidArgument("mean must be finite and std finite and non-zero")
        }
    }
}
