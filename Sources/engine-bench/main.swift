// engine-bench: times BLOOM training steps (forward + backward + clipping + AdamW) and
// compares the achieved matmul throughput with a measured sgemm peak.
//
//   engine-bench [--steps N] [--warmup N] [--batch B] [--length T] [--bf16] [--json]
//   engine-bench micro | ops               (kernel / per-op timings)
//   engine-bench sgemm                     (only the sgemm peak)
//   engine-bench export-checkpoint DIR     (tiny random model + expected logits, for the oracle)
//   engine-bench cuda-check                (cuBLASXt products against OpenBLAS, then steps on and off the GPU)
import Foundation
import Models
import Training

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "export-checkpoint" {
        guard arguments.count == 2 else { throw BenchError.usage("export-checkpoint DIR") }
        try exportCheckpoint(to: URL(fileURLWithPath: arguments[1]))
    } else if arguments.first == "micro" {
        runMicroBenchmarks()
    } else if arguments.first == "gemm" {
        runGemmBenchmarks()
    } else if arguments.first == "ops" {
        runOpBenchmarks(try BenchOptions(Array(arguments.dropFirst())))
    } else if arguments.first == "cuda-check" {
        try runCUDACheck()
    } else if arguments.first == "sgemm" {
        print(String(format: "sgemm peak %.1f GFLOP/s", SgemmPeak.measure()))
    } else {
        try runTrainingBenchmark(BenchOptions(arguments))
    }
} catch {
    FileHandle.standardError.write(Data("engine-bench: \(error)\n".utf8))
    exit(2)
}
