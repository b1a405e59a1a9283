import Testing

/// `glassbox bench` refuses a backend the machine lacks in one line (the runs themselves are timed by hand, in release).
extension CLITests {
    @Test func benchRefusesAnUnknownDevice() throws {
        try expectCleanFailure(["bench", "--quick", "--device", "opencl:99"], mentioning: "--device opencl:99")
    }
}
