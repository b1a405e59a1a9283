import Foundation

@testable import GlassboxIO

/// The fixtures of `scripts/make_superpixel_fixtures.py`: scikit-image's sample photos, skimage's
/// segmentations of them and its drawings of their outlines.
enum SuperpixelFixtures {
    /// The folder `Fixtures/superpixels`.
    static let folder = TestSupport.fixtures.appending(path: "superpixels")

    /// The photos: three RGB, one gray (`camera`).
    static let images = ["astronaut", "chelsea", "coffee", "camera"]

    /// The segments `<image>-slic-default-top.png` outlines.
    static let topSegments: Set<Int> = [1, 4, 9, 10, 15]

    /// The photo `name`.
    static func image(_ name: String) throws -> Image {
        try Image.read(from: folder.appending(path: "\(name).png"))
    }

    /// skimage's labels in `<name>.npy`, as stored (not renumbered).
    static func labels(_ name: String) throws -> [Int] {
        try NumpyArray.read(from: folder.appending(path: "\(name).npy")).values.map { Int($0) }
    }

    /// The fraction of pixels on which `labels` and `reference` agree once each label of one is
    /// paired with at most one label of the other, greedily by the largest overlap first.
    static func agreement(_ labels: [Int], _ reference: [Int]) -> Double {
        var overlaps = [[Int]: Int]()
        for (label, expected) in zip(labels, reference) { overlaps[[label, expected], default: 0] += 1 }
        var usedLabels = Set<Int>(), usedReferences = Set<Int>(), matched = 0
        let ranked = overlaps.sorted {
            $0.value != $1.value ? $0.value > $1.value : $0.key.lexicographicallyPrecedes($1.key)
        }
        for (pair, overlap) in ranked where !usedLabels.contains(pair[0]) && !usedReferences.contains(pair[1]) {
            usedLabels.insert(pair[0])
            usedReferences.insert(pair[1])
            matched += overlap
        }
        return Double(matched) / Double(reference.count)
    }
}
