package org.policygraph

import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * The shared fixtures through Kotlin: the same files and sidecars as
 * `crates/policygraph/tests/{conformance,structure}.rs` and the Python tests, so the
 * languages cannot drift apart.
 */
class FixturesTest {
    @Test
    fun theFixturesAreThere() {
        assertTrue(Fixtures.conformance.size > 28, "conformance fixtures: ${Fixtures.conformance}")
        assertTrue(Fixtures.invalid.size >= 8, "invalid documents: ${Fixtures.invalid}")
        assertTrue(Fixtures.valid.size >= 4, "valid documents: ${Fixtures.valid}")
    }

    @TestFactory
    fun conformanceFixturesReportWhatTheirSidecarsExpect() = Fixtures.conformance.map { path ->
        DynamicTest.dynamicTest(path) {
            Programme.loadFile(path).use { programme ->
                val report = programme.check()
                val actual = report.findings.map {
                    mapOf("code" to it.code, "pointer" to it.pointer, "severity" to it.severity.name.lowercase())
                }
                val sidecar = path.removeSuffix(".yaml") + ".expected.json"
                if (path.endsWith("/clean.yaml")) {
                    assertTrue(!java.io.File(Fixtures.root, sidecar).exists())
                    assertEquals(emptyList(), actual)
                    assertTrue(report.ok)
                    return@use
                }
                assertEquals(Fixtures.sidecar(sidecar)["findings"], actual)
                // every finding located in the file it came from
                for (f in report.findings) {
                    assertEquals(path, f.file)
                    assertNotNull(f.line)
                    assertNotNull(f.column)
                }
                assertEquals(report.findings.count { it.severity == Severity.ERROR }, report.errors)
                assertEquals(report.errors == 0, report.ok)
            }
        }
    }

    @TestFactory
    fun invalidDocumentsReportWhatTheirSidecarsExpect() = Fixtures.invalid.map { path ->
        DynamicTest.dynamicTest(path) {
            val e = assertFailsWith<PolicygraphException.Load> { Programme.loadFile(path) }
            val actual = e.problems.map {
                mapOf("code" to it.code, "pointer" to it.pointer, "line" to it.line?.toLong(), "column" to it.column?.toLong())
            }
            assertEquals(Fixtures.sidecar("$path.expected.json")["diagnostics"], actual)
            // the text names the file and lists every problem with its place
            assertTrue(e.reason.startsWith("`$path` could not be read (${e.problems.size} problem"), e.reason)
            for (p in e.problems) {
                assertEquals(Severity.ERROR, p.severity)
                assertTrue("$path:${p.line}:${p.column}: error ${p.code}/${p.name}" in e.reason, e.reason)
            }
            // the same problems from the text, in its format
            val format = when (path.substringAfterLast('.')) {
                "json" -> DocumentFormat.JSON
                "toml" -> DocumentFormat.TOML
                else -> DocumentFormat.YAML
            }
            val fromText = assertFailsWith<PolicygraphException.Load> {
                Programme.load(Fixtures.read(path), format, path)
            }
            assertEquals(e.problems, fromText.problems)
        }
    }

    @TestFactory
    fun validDocumentsLoadAndCheck() = Fixtures.valid.map { path ->
        DynamicTest.dynamicTest(path) {
            Programme.loadFile(path).use { programme ->
                val report = programme.check()
                assertTrue(report.findings.all { it.line != null && it.file == path })
                val elements = programme.elements()
                assertTrue(elements.isNotEmpty())
                assertEquals(elements.map { it.id }.toSet().size, elements.size)
                // a round trip through JSON is the same programme
                Programme.load(programme.toJson(), DocumentFormat.JSON).use { again ->
                    assertTrue(programme.diff(again).isEmpty)
                }
            }
        }
    }

    /**
     * Every invalid document, whole and cut short at many places, read as each format:
     * each load succeeds or throws `Load`, never anything else (no panic, no crash).
     */
    @Test
    fun noPanicOverTheInvalidDocuments() {
        var loads = 0
        for (path in Fixtures.invalid + Fixtures.valid) {
            val text = Fixtures.read(path)
            val cuts = (0..text.length step maxOf(1, text.length / 40)).toList() + text.length
            for (cut in cuts) {
                for (format in DocumentFormat.entries) {
                    loads++
                    try {
                        Programme.load(text.substring(0, cut), format, path).use { it.check() }
                    } catch (e: PolicygraphException.Load) {
                        assertTrue(e.problems.isNotEmpty())
                    } catch (e: Throwable) {
                        fail("`$path` cut at $cut as $format: ${e::class.qualifiedName}: ${e.message}")
                    }
                }
            }
        }
        assertTrue(loads > 500)
    }
}
