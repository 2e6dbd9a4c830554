package org.policygraph

import java.io.File

/** The shared fixtures (the files the Rust and Python tests read too). */
object Fixtures {
    /** The repository root: surefire runs the tests there (`policygraph.root`). */
    val root: File = File(System.getProperty("policygraph.root") ?: "../../..").canonicalFile

    const val REFERENCE = "examples/pompidou-2023-2025.yaml"

    private fun documents(dir: String): List<String> =
        (File(root, dir).listFiles() ?: emptyArray())
            .map { it.name }
            .filter { it.endsWith(".yaml") || it.endsWith(".json") || it.endsWith(".toml") }
            .filterNot { it.endsWith(".expected.json") }
            .sorted()
            .map { "$dir/$it" }

    val conformance: List<String> get() = documents("tests/conformance").filter { it.endsWith(".yaml") }
    val invalid: List<String> get() = documents("tests/structure/invalid")
    val valid: List<String> get() = documents("tests/structure/valid")

    fun read(path: String): String = File(root, path).readText()

    @Suppress("UNCHECKED_CAST")
    fun sidecar(path: String): Map<String, Any?> = Json.parse(read(path)) as Map<String, Any?>
}
