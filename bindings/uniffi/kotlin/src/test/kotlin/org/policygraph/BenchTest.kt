package org.policygraph

import java.io.File
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test

/**
 * Loading and checking from Kotlin, FFI and records included (`Programme.loadFile`,
 * then `check()` with every finding converted to a `Diagnostic`), on the reference
 * programme and on the generated 10^5-element document: the median of warm runs in one
 * JVM. Tagged `bench`, so left out of the test run; `cargo xtask bench-kotlin` runs it
 * and compares with the command line.
 */
@Tag("bench")
class BenchTest {
    private fun median(runs: Int, body: () -> Unit): Double {
        val times = (0 until runs).map {
            val start = System.nanoTime()
            body()
            (System.nanoTime() - start) / 1e9
        }
        return times.sorted()[runs / 2]
    }

    private fun loadAndCheck(path: String): Int =
        Programme.loadFile(path).use { it.check().findings.size }

    @Test
    fun loadAndCheckFromKotlin() {
        val big = System.getProperty("policygraph.bench.big") ?: "target/big.json"
        require(File(big).isFile) { "`$big` is missing: `cargo xtask bench-kotlin` generates it" }
        val out = StringBuilder()
        for ((label, path, runs) in listOf(
            Triple("reference programme", Fixtures.REFERENCE, 41),
            Triple("10^5 elements (JSON)", big, 15),
        )) {
            repeat(3) { loadAndCheck(path) } // warm-up: the JIT, the pages
            val findings = loadAndCheck(path)
            val seconds = median(runs) { loadAndCheck(path) }
            println("kotlin  $label: median %.1f ms of $runs runs ($findings findings)".format(seconds * 1e3))
            out.append("$label\t$seconds\n")
        }
        System.getProperty("policygraph.bench.out")?.let { File(it).writeText(out.toString()) }
    }
}
