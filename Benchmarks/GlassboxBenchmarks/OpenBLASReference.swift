import Foundation

/// OpenBLAS's sgemm on the same machine in the same run, through NumPy (one
/// `python3` subprocess with `OPENBLAS_NUM_THREADS` = the host's cores): the
/// reference the CPU GEMM is compared with. Nil when python3 or NumPy is missing.
enum OpenBLASReference {
    static func gflops(sizes: [Int], minimum: Double) -> [Int: Double]? {
        let script = """
            import json, sys, time
            import numpy as np
            out = {}
            for n in \(sizes):
                a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
                a @ b
                runs, start = 0, time.perf_counter()
                while True:
                    a @ b
                    runs += 1
                    if time.perf_counter() - start >= \(minimum): break
                out[n] = 2 * n ** 3 / ((time.perf_counter() - start) / runs) / 1e9
            print(json.dumps(out))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let cores = String(ProcessInfo.processInfo.activeProcessorCount)
        process.environment = ProcessInfo.processInfo.environment.merging([
            "OPENBLAS_NUM_THREADS": cores, "OMP_NUM_THREADS": cores,
        ]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let decoded = try? JSONDecoder().decode([String: Double].self, from: data)
        else { return nil }
        return Dictionary(uniqueKeysWithValues: decoded.compactMap { key, value in Int(key).map { ($0, value) } })
    }
}
