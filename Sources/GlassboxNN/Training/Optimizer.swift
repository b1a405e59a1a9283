import Foundation
import GlassboxCore

/// Updates parameters from their gradients, one minibatch at a time.
public protocol Optimizer: Sendable {
    /// Applies one update to each parameter that has a gradient.
    mutating func step(parameters: inout [String: Tensor], gradients: [String: Tensor]) throws
}

/// Stochastic gradient descent with (heavy-ball) momentum and L2 weight decay,
/// as PyTorch's `SGD`: v ← μ·v + (g + λ·θ), θ ← θ − η·v.
public struct SGD: Optimizer {
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    private var velocities = [String: Tensor]()

    public init(learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public mutating func step(parameters: inout [String: Tensor], gradients: [String: Tensor]) throws {
        for (name, gradient) in gradients {
            guard let parameter = parameters[name] else { continue }
            let backend = parameter.backend
            let decayed = weightDecay == 0 ? gradient : try backend.axpy(alpha: weightDecay, parameter, gradient)
            let velocity = try velocities[name].map { try backend.axpy(alpha: momentum, $0, decayed) } ?? decayed
            velocities[name] = velocity
            parameters[name] = try backend.axpy(alpha: -learningRate, velocity, parameter)
        }
    }
}

/// Adam (Kingma & Ba 2015) with bias-corrected moment estimates:
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − η·m̂/(√v̂ + ε); with a
/// weight decay λ > 0, AdamW (Loshchilov & Hutter 2019, "Decoupled weight decay
/// regularization"), as PyTorch's `AdamW`: θ ← (1 − ηλ)·θ − η·m̂/(√v̂ + ε), the decay
/// applied to the parameter rather than added to the gradient.
public struct Adam: Optimizer {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// The decoupled weight decay λ (0: plain Adam).
    public var weightDecay: Float
    private var steps = 0
    private var firstMoments = [String: Tensor]()
    private var secondMoments = [String: Tensor]()

    public init(
        learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
        weightDecay: Float = 0
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public mutating func step(parameters: inout [String: Tensor], gradients: [String: Tensor]) throws {
        steps += 1
        let correction1 = 1 - Foundation.pow(beta1, Float(steps)), correction2 = 1 - Foundation.pow(beta2, Float(steps))
        for (name, gradient) in gradients {
            guard let parameter = parameters[name] else { continue }
            let backend = parameter.backend
            let m = try backend.axpy(
                alpha: 1 - beta1, gradient,
                try firstMoments[name].map { try backend.affine($0, scale: beta1, shift: 0) }
                    ?? backend.filled(gradient.shape, value: 0))
            let v = try backend.axpy(
                alpha: 1 - beta2, try backend.unary(gradient, .square),
                try secondMoments[name].map { try backend.affine($0, scale: beta2, shift: 0) }
                    ?? backend.filled(gradient.shape, value: 0))
            firstMoments[name] = m
            secondMoments[name] = v
            let denominator = try backend.affine(
                try backend.unary(try backend.affine(v, scale: 1 / correction2, shift: 0), .sqrt),
                scale: 1, shift: epsilon)
            let update = try backend.binary(
                try backend.affine(m, scale: learningRate / correction1, shift: 0), denominator, .divide)
            let decayed =
                weightDecay == 0
                ? parameter : try backend.affine(parameter, scale: 1 - learningRate * weightDecay, shift: 0)
            parameters[name] = try backend.binary(decayed, update, .subtract)
        }
    }
}
