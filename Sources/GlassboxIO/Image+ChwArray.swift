import GlassboxCore

extension Image {
    /// The image as a model input: a float array of shape channels×height×width (CHW), made as
    /// `preprocessing` says.
    ///
    /// - Throws: `GlassboxError.invalidArgument(_:)` if `preprocessing` is inconsistent (a
    ///   channel count other than 1, 3 or 4, a non-positive size, a `mean` or `std` of the wrong
    ///   length, a zero `std`) or its crop does not fit in the resized image.
    public func chwArray(_ preprocessing: ImagePreprocessing = ImagePreprocessing()) throws -> NumpyArray {
        try preprocessing.validate()
        let image = converted(toChannels: preprocessing.channels)
        let resizedSize = preprocessing.resizedSize(height: image.height, width: image.width)
        let channels = preprocessing.channels
        var resized = Self.resample(
            image.planes(), planes: channels, height: image.height, width: image.width,
            newHeight: resizedSize.height, newWidth: resizedSize.width,
            resampling: preprocessing.resampling, antialias: preprocessing.antialias)
        if let crop = preprocessing.centerCrop {
            resized = try Self.centerCropped(resized, planes: channels, size: resizedSize, to: crop)
        }
        let (height, width) = preprocessing.outputSize(height: image.height, width: image.width)
        let planeSize = height * width
        let colorOrder = preprocessing.channelOrder == .bgr && channels >= 3 ? [2, 1, 0] : [0, 1, 2]
        let sourceChannels = Array((colorOrder + [3]).prefix(channels))
        let divisor: Float = preprocessing.scalesToUnitRange ? 255 : 1
        var values = [Float]()
        values.reserveCapacity(resized.count)
        for (channel, source) in sourceChannels.enumerated() {
            let mean = preprocessing.mean.isEmpty ? 0 : preprocessing.mean[channel]
            let std = preprocessing.std.isEmpty ? 1 : preprocessing.std[channel]
            values += resized[(source * planeSize)..<((source + 1) * planeSize)].map { ($0 / divisor - mean) / std }
        }
        return NumpyArray(shape: [channels, height, width], values: values)
    }

    /// The centred `crop` of `planes` planes of `size`, placed as torchvision's `CenterCrop`
    /// places it: `round((size − crop) / 2)` from the top left, halves rounded to even.
    static func centerCropped(
        _ values: [Float], planes: Int, size: (height: Int, width: Int), to crop: (height: Int, width: Int)
    ) throws(GlassboxError) -> [Float] {
        guard crop.height <= size.height, crop.width <= size.width else {
            throw .invalidArgument(
                "cannot crop \(crop.height)×\(crop.width) pixels from an image resized to \(size.height)×\(size.width)")
        }
        func offset(_ spare: Int) -> Int { Int((Double(spare) / 2).rounded(.toNearestOrEven)) }
        let top = offset(size.height - crop.height), left = offset(size.width - crop.width)
        var result = [Float]()
        result.reserveCapacity(planes * crop.height * crop.width)
        for plane in 0..<planes {
            for row in (top..<(top + crop.height)) {
                let start = (plane * size.height + row) * size.width + left
                result += values[start..<(start + crop.width)]
            }
        }
        return result
    }

    /// An image from a float array in 0…1 shaped channels×height×width (CHW, 1, 3 or 4
    /// channels), 1×C×H×W or H×W (gray): values are multiplied by 255, clamped to 0…255 and
    /// rounded to the nearest level (as torchvision's `save_image` does); NaN reads as 0.
    ///
    /// - Throws: `GlassboxError.shapeMismatch(_:)` if the array has another shape.
    public init(chwArray array: NumpyArray) throws {
        let (channels, height, width) = try array.planeDimensions()
        guard Self.channelCounts.contains(channels) else {
            throw GlassboxError.shapeMismatch(
                "an image array has 1, 3 or 4 channels, not \(channels) (shape \(array.shape))")
        }
        self.init(planes: array.values, channels: channels, height: height, width: width, scale: 255)
    }
}

extension NumpyArray {
    /// The planes, height and width of an array shaped H×W, C×H×W or 1×C×H×W (a batch of one),
    /// with positive height and width.
    ///
    /// - Throws: `GlassboxError.shapeMismatch(_:)` for any other shape.
    func planeDimensions() throws(GlassboxError) -> (planes: Int, height: Int, width: Int) {
        let dimensions = shape.dimensions
        let planes =
            switch dimensions.count {
            case 2: 1
            case 3: dimensions[0]
            case 4 where dimensions[0] == 1: dimensions[1]
            default: 0
            }
        guard planes > 0, let height = dimensions.dropLast().last, let width = dimensions.last, height > 0, width > 0
        else {
            throw .shapeMismatch("expected an array shaped H×W, C×H×W or 1×C×H×W, got \(shape)")
        }
        return (planes, height, width)
    }
}
