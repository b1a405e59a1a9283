/// The order of the colour channels a model expects.
public enum ImageChannelOrder: String, Sendable, CaseIterable {
    /// Red, green, blue (then alpha): PyTorch, torchvision, Keras and most ONNX models.
    case rgb
    /// Blue, green, red (then alpha): models trained on OpenCV-decoded images, Caffe models.
    case bgr
}
