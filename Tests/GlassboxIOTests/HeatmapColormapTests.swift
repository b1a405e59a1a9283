import Testing

@testable import GlassboxIO

@Suite("Colormaps look colours up by value with linear interpolation")
struct HeatmapColormapTests {
    @Test func viridisEndpointsAndMidpoint() {
        #expect(Colormap.viridis.colors.count == 256)
        #expect(Colormap.viridis.color(at: 0) == SIMD3(68, 1, 84))  // #440154
        #expect(Colormap.viridis.color(at: 1) == SIMD3(253, 231, 37))  // #FDE725
        // 0.5 falls halfway between entries 127 (#21908D) and 128 (#21918C); halves round up.
        #expect(Colormap.viridis.color(at: 0.5) == SIMD3(33, 145, 141))
    }

    @Test func redBlueIsNearWhiteAtItsMiddle() {
        #expect(Colormap.redBlue.color(at: 0) == SIMD3(5, 48, 97))  // #053061
        #expect(Colormap.redBlue.color(at: 0.5) == SIMD3(247, 247, 247))  // #F7F7F7
        #expect(Colormap.redBlue.color(at: 1) == SIMD3(103, 0, 31))  // #67001F
    }

    @Test func interpolatesAndClamps() {
        let map = Colormap(name: "ramp", colors: [0x000000, 0xFF8000])
        #expect(map.color(at: 0.25) == SIMD3(64, 32, 0))
        #expect(map.color(at: -3) == map.color(at: 0))
        #expect(map.color(at: 7) == map.color(at: 1))
        #expect(map.color(at: .nan) == map.color(at: 0))
        #expect(map.color(at: .infinity) == map.color(at: 1))
    }
}
