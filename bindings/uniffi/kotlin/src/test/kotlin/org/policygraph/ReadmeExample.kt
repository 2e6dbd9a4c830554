// The README's Kotlin example: `ApiTest.theReadmeExampleIsThisOneAndRuns` checks that
// README.md shows the lines between the markers exactly, and runs `main` (from the
// repository root).
package org.policygraph

// README: start
import org.policygraph.*

fun main() {
    // each call blocks until the core is done: in an app, call it off the main thread
    Programme.loadFile("examples/pompidou-2023-2025.yaml").use { programme ->
        val report = programme.check()                    // every rule; findings located
        check(report.ok && report.warnings == 12)
        val finding = report.findings.first()             // a data class: code, line, message, ...
        println("${finding.code} ${finding.line} ${finding.message}")

        val coverage = programme.coverage()               // per priority, line, indicator, year
        check(coverage.uncoveredLines.size == report.findings.count { it.code == "PG702" })
        val work2024 = programme.query(QueryFilter(kind = "activity", year = 2024))
        println("${work2024.size} activities in 2024, the first `${work2024.first().id}`")
    }

    val problems = try {
        Programme.load("format: policygraph/v1\nprogramme: {id: p, titel: x}\n", DocumentFormat.YAML).close()
        emptyList()
    } catch (e: PolicygraphException.Load) {              // every problem, located
        e.problems
    }
    check(problems.map { it.code } == listOf("PG005", "PG002"))
}
// README: end
