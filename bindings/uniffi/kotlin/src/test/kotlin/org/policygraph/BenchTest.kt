package org.policygraph

import java.io.File
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

/**
 * Loading and checking from Kotlin, FFI and records included (`Programme.loadFile`,
 * then `check()` with every finding converted to a `Diagnostic`), against the native
 * pipeline (`policygraph validate FILE --format json`, a process each), on the
 * reference programme and on the generated 10^5-element document. The two are timed in
 * alternation, one run of each a round, so that both see the same load on a shared
 * machine; the figures are the medians (Kotlin's warm, in one JVM). Tagged `bench`, so
 * left out of the test run; `cargo xtask bench-kotlin` runs it.
 */
@Tag("bench")
class BenchTest {
    private fun seconds(body: () -> Unit): Double {
        val start = System.nanoTime()
        body()
        return (System.nanoTime() - start) / 1e9
    }

    private fun loadAndCheck(path: String): Int =
        Programme.loadFile(path).use { it.check().findings.size }

    private fun native(cli: String, path: String) {
        val process = ProcessBuilder(cli, "validate", "--format", "json", path)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        // 1: findings (the generated document has some)
        check(process.waitFor() in 0..1) { "`$cli validate $path` failed" }
    }

    @Test
    fun loadAndCheckFromKotlinAgainstTheCommandLine() {
        val big = System.getProperty("policygraph.bench.big") ?: "target/big.json"
        val cli = System.getProperty("policygraph.bench.cli") ?: "target/release/policygraph"
        require(File(big).isFile) { "`$big` is missing: `cargo xtask bench-kotlin` generates it" }
        require(File(cli).canExecute()) { "`$cli` is missing: `cargo xtask bench-kotlin` builds it" }
        val out = StringBuilder()
        for ((label, path, rounds) in listOf(
            Triple("reference programme", Fixtures.REFERENCE, 41),
            Triple("10^5 elements (JSON)", big, 15),
        )) {
            repeat(3) { loadAndCheck(path); native(cli, path) } // warm-up: the JIT, the page cache
            val findings = loadAndCheck(path)
            val kotlin = ArrayList<Double>()
            val native = ArrayList<Double>()
            repeat(rounds) {
                native.add(seconds { native(cli, path) })
                kotlin.add(seconds { loadAndCheck(path) })
            }
            val k = kotlin.sorted()[rounds / 2]
            val n = native.sorted()[rounds / 2]
            println(
                "$label ($findings findings): native %.1f ms, Kotlin %.1f ms = %.2fx (medians of $rounds rounds; target <= 1.5x)"
                    .format(n * 1e3, k * 1e3, k / n),
            )
            out.append("$label\t$n\t$k\n")
        }
        System.getProperty("policygraph.bench.out")?.let { File(it).writeText(out.toString()) }
    }
}
