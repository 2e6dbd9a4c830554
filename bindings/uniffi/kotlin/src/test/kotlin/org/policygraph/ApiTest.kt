package org.policygraph

import java.io.File
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import org.junit.jupiter.api.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

class ApiTest {
    private val small = """
        format: policygraph/v1
        programme: {id: p, title: Programme, period: 2023-2025}
        priorities:
          - id: P1
            title: Human rights
            actions: [{id: P1.1, title: Aligning policy responses}, {id: P1.2, title: Reducing stigma}]
        activities:
          - {id: A1, title: Executive course, timeframe: 2023-24, addresses: [P1.1]}
    """.trimIndent() + "\n"

    private fun reference() = Programme.loadFile(Fixtures.REFERENCE)

    @Test
    fun aProgrammeKnowsWhatItIs() = Programme.load(small, DocumentFormat.YAML, "small.yaml").use { p ->
        assertEquals("p", p.id())
        assertEquals("Programme", p.title())
        assertEquals("small.yaml", p.name())
        assertEquals(DocumentFormat.YAML, p.format())
        assertEquals(2, p.summary().linesOfAction)
        assertEquals(1, p.summary().activities)
        assertEquals(version(), "0.1.0")
    }

    @Test
    fun checkGivesLocatedFindingsAndTakesRuleSettings() = Programme.load(small, DocumentFormat.YAML, "small.yaml").use { p ->
        val report = p.check()
        val uncovered = report.findings.single { it.code == "PG702" }
        assertEquals("uncovered-action", uncovered.name)
        assertEquals(Severity.WARNING, uncovered.severity)
        assertEquals("/priorities/0/actions/1", uncovered.pointer)
        assertEquals("small.yaml", uncovered.file)
        assertEquals(6, uncovered.line)
        assertEquals(listOf("P1.2"), uncovered.elements)
        assertNotNull(uncovered.help)
        assertTrue(report.ok)

        assertTrue(p.check(CheckOptions(allow = listOf("uncovered-action"))).findings.none { it.code == "PG702" })
        val denied = p.check(CheckOptions(deny = listOf("PG702")))
        assertEquals(Severity.ERROR, denied.findings.single { it.code == "PG702" }.severity)
        assertFalse(denied.ok)
        assertFalse(p.check(CheckOptions(deny = listOf("warnings"))).ok)
        // the JSON report's shape
        assertTrue(p.checkJson().startsWith("{\"diagnostics\":[{\"code\":\"PG702\""), p.checkJson())
    }

    @Test
    fun kindsAreSpelledOneWayAndTheOlderSpellingsRead() = reference().use { p ->
        val lines = p.elements("line_of_action").map { it.id }
        assertTrue(lines.isNotEmpty())
        assertEquals(lines, p.elements("line of action").map { it.id })
        assertEquals(lines, p.elements("action").map { it.id })
        assertEquals(lines, p.query(QueryFilter(kind = "line of action")).map { it.id })
        assertTrue(p.elements("line of action").all { it.kind == "line_of_action" })
    }

    @Test
    fun unknownRulesAndKindsAreTypedErrorsWithTheNearestName() = reference().use { p ->
        val rule = assertFailsWith<PolicygraphException.InvalidArgument> {
            p.check(CheckOptions(allow = listOf("uncovered-actoin")))
        }
        assertContains(rule.reason, "`uncovered-actoin`")
        assertContains(rule.reason, "did you mean `uncovered-action`?")
        val kind = assertFailsWith<PolicygraphException.NotFound> { p.elements("activty") }
        assertEquals("`activty` is not a kind of element (did you mean `activity`?)", kind.reason)
        val id = assertFailsWith<PolicygraphException.NotFound> { p.trace("P9.9") }
        assertContains(id.reason, "`P9.9` is not the id of any element")
        assertFailsWith<PolicygraphException.NotFound> { p.impact("nothing-like-it") }
        assertFailsWith<PolicygraphException.NotFound> { p.query(QueryFilter(priority = "P77")) }
        val wrongKind = assertFailsWith<PolicygraphException.InvalidArgument> {
            p.query(QueryFilter(funding = "P1"))
        }
        assertEquals("`P1` is a priority, not a funding source", wrongKind.reason)
        val format = assertFailsWith<PolicygraphException.InvalidArgument> { p.export("pdf") }
        assertContains(format.reason, "`pdf` is not an export format")
    }

    @Test
    fun hostileDocumentsAreTypedErrors() {
        // nesting far beyond the limit, in each format
        val deep = "[".repeat(100_000)
        for (format in DocumentFormat.entries) {
            val e = assertFailsWith<PolicygraphException.Load> { Programme.load(deep, format) }
            assertTrue(e.problems.isNotEmpty())
            assertTrue(e.reason.startsWith("the document could not be read"), e.reason)
        }
        // an alias bomb, a document that is no mapping, a missing file
        val bomb = assertFailsWith<PolicygraphException.Load> {
            Programme.loadFile("tests/structure/invalid/alias-bomb.yaml")
        }
        assertTrue(bomb.problems.isNotEmpty())
        assertFailsWith<PolicygraphException.Load> { Programme.load("just text", DocumentFormat.YAML) }
        assertFailsWith<PolicygraphException.Load> { Programme.load("", DocumentFormat.JSON) }
        assertFailsWith<PolicygraphException.Load> { Programme.load("\u0000\uFFFF", DocumentFormat.TOML) }
        val missing = assertFailsWith<PolicygraphException.Load> { Programme.loadFile("no/such/file.yaml") }
        assertContains(missing.reason, "`no/such/file.yaml`")
        // every variant is a PolicygraphException, so one catch serves
        val any: PolicygraphException = assertFailsWith { Programme.load("{", DocumentFormat.JSON) }
        assertTrue(any is PolicygraphException.Load)
    }

    @Test
    fun aPanicInsideIsAnInternalErrorNotACrash() {
        val e = assertFailsWith<PolicygraphException.Internal> { panicForTests() }
        assertContains(e.reason, "a panic raised on purpose")
        // and the library goes on working
        reference().use { assertTrue(it.check().ok) }
    }

    @Test
    fun coverageTraceImpactAndQuery() = reference().use { p ->
        val coverage = p.coverage()
        assertEquals(coverage.lines.filter { !it.covered && !it.cancelled }.map { it.id }, coverage.uncoveredLines)
        assertEquals(p.check().findings.count { it.code == "PG702" }, coverage.uncoveredLines.size)
        assertTrue(coverage.priorities.all { it.coveredLines <= it.lines && it.share in 0.0..1.0 })
        assertTrue(coverage.years.map { it.year }.contains(2024))
        assertTrue(coverage.indicators.isNotEmpty())
        assertContains(p.coverageJson(), "\"uncovered_lines\":")

        val activity = p.query(QueryFilter(kind = "activity", priority = "P1")).first()
        val trace = p.trace(activity.id)
        assertEquals(activity.id, trace.element.id)
        assertEquals("activity", trace.element.kind)
        assertEquals(listOf("P1"), trace.priorities)
        assertTrue(trace.upstream.all { it.depth >= 1 && it.via.isNotEmpty() })
        assertContains(p.traceJson(activity.id), "\"priorities\":")
        Programme.loadFile("tests/conformance/PG306-dependency-starts-early-types.yaml").use { typed ->
            val links = typed.trace("WP2").links
            assertEquals("start_to_start", links.first { it.via == "depends_on" && it.element.id == "WP1" }.dependency)
            assertTrue(links.filter { !it.via.contains("depend") && !it.via.contains("inform") }.all { it.dependency == null })
        }
        val impact = p.impact(activity.id)
        assertEquals(activity.id, impact.element?.id)
        assertTrue(impact.removed.any { it.id == activity.id })
        assertContains(p.impactJson(activity.id), "\"removed\":")

        val work2024 = p.query(QueryFilter(kind = "activity", year = 2024))
        assertTrue(work2024.isNotEmpty())
        assertTrue(work2024.all { it.kind == "activity" })
        assertTrue(work2024.any { it.start != null && it.start <= "2024-12-31" })
        assertEquals(p.elements().size, p.query().size)
        val p3 = p.query(QueryFilter(priority = "P3"))
        assertTrue(p3.isNotEmpty())
    }

    @Test
    fun diffAndExport() = reference().use { old ->
        Programme.loadFile("tests/diff/target-raised.yaml").use { new ->
            val diff = old.diff(new)
            assertFalse(diff.isEmpty)
            assertTrue(diff.changes.any { it.change == "changed" && it.category == "target" })
            assertEquals(diff.summary.fields, diff.changes.count { it.change == "changed" })
            assertContains(old.diffJson(new), "\"changed\":")
        }
        assertTrue(old.diff(old).isEmpty)
        val html = old.export("html")
        assertTrue(html.startsWith("<!doctype html>"), html.take(40))
        assertContains(old.export("mermaid"), "flowchart")
        assertContains(old.export("md"), "#")
        val csv = old.exportFiles("csv")
        assertTrue(csv.any { it.name == "links.csv" })
        assertFailsWith<PolicygraphException.InvalidArgument> { old.export("csv") }
        assertTrue(old.toText(DocumentFormat.TOML).isNotEmpty())
    }

    @Test
    fun theRuleTable() {
        val rules = rules()
        val pg702 = rules.single { it.code == "PG702" }
        assertEquals("uncovered-action", pg702.name)
        assertEquals("coverage", pg702.group)
        assertTrue(pg702.rule)
        assertFalse(rules.single { it.code == "PG001" }.rule)
    }

    /** One programme from eight threads at once, and loads on each: the same results. */
    @Test
    fun oneProgrammeFromManyThreadsAtOnce() = reference().use { p ->
        val expected = p.check()
        val pool = Executors.newFixedThreadPool(8)
        try {
            val jobs = (0 until 32).map { i ->
                Callable {
                    when (i % 4) {
                        0 -> p.check()
                        1 -> p.coverage().uncoveredLines.size
                        2 -> Programme.loadFile(Fixtures.REFERENCE).use { it.check() }
                        else -> p.elements().size
                    }
                }
            }
            val results = pool.invokeAll(jobs).map { it.get() }
            results.filterIsInstance<Report>().forEach { assertEquals(expected, it) }
            assertEquals(1, results.filterIsInstance<Int>().filterIndexed { i, _ -> i % 2 == 0 }.toSet().size)
        } finally {
            pool.shutdown()
        }
    }

    /** The README's Kotlin example is the one in `ReadmeExample.kt`, and it runs. */
    @Test
    fun theReadmeExampleIsThisOneAndRuns() {
        val source = File(Fixtures.root, "bindings/uniffi/kotlin/src/test/kotlin/org/policygraph/ReadmeExample.kt").readText()
        val example = source.substringAfter("// README: start\n").substringBefore("// README: end")
            .trimIndent().trim()
        val readme = File(Fixtures.root, "README.md").readText()
        val shown = Regex("```kotlin\n(.*?)```", RegexOption.DOT_MATCHES_ALL).findAll(readme)
            .map { it.groupValues[1].trim() }.toList()
        assertTrue(example in shown, "README.md must show the example of ReadmeExample.kt as it is:\n$example")
        main()
    }
}
