package org.policygraph

/**
 * A small JSON reader for the tests' sidecars (`*.expected.json`): objects become
 * `Map<String, Any?>` (in order), arrays `List<Any?>`, numbers `Long` or `Double`.
 * The tests need no JSON library beyond this.
 */
object Json {
    fun parse(text: String): Any? {
        val reader = Reader(text)
        val value = reader.value()
        reader.skipSpace()
        require(reader.at == text.length) { "trailing text at ${reader.at}" }
        return value
    }

    private class Reader(val s: String) {
        var at = 0

        fun skipSpace() {
            while (at < s.length && s[at].isWhitespace()) at++
        }

        fun value(): Any? {
            skipSpace()
            require(at < s.length) { "unexpected end of JSON" }
            return when (val c = s[at]) {
                '{' -> obj()
                '[' -> array()
                '"' -> string()
                't' -> literal("true", true)
                'f' -> literal("false", false)
                'n' -> literal("null", null)
                else -> if (c == '-' || c.isDigit()) number() else error("unexpected `$c` at $at")
            }
        }

        private fun literal(word: String, v: Any?): Any? {
            require(s.startsWith(word, at)) { "expected `$word` at $at" }
            at += word.length
            return v
        }

        private fun obj(): Map<String, Any?> {
            val out = LinkedHashMap<String, Any?>()
            at++
            skipSpace()
            if (s[at] == '}') { at++; return out }
            while (true) {
                skipSpace()
                val key = string()
                skipSpace()
                require(s[at] == ':') { "expected `:` at $at" }
                at++
                out[key] = value()
                skipSpace()
                when (s[at++]) {
                    ',' -> continue
                    '}' -> return out
                    else -> error("expected `,` or `}` at ${at - 1}")
                }
            }
        }

        private fun array(): List<Any?> {
            val out = ArrayList<Any?>()
            at++
            skipSpace()
            if (s[at] == ']') { at++; return out }
            while (true) {
                out.add(value())
                skipSpace()
                when (s[at++]) {
                    ',' -> continue
                    ']' -> return out
                    else -> error("expected `,` or `]` at ${at - 1}")
                }
            }
        }

        private fun string(): String {
            require(s[at] == '"') { "expected a string at $at" }
            at++
            val out = StringBuilder()
            while (true) {
                when (val c = s[at++]) {
                    '"' -> return out.toString()
                    '\\' -> when (val e = s[at++]) {
                        'n' -> out.append('\n')
                        't' -> out.append('\t')
                        'r' -> out.append('\r')
                        'b' -> out.append('\b')
                        'f' -> out.append('\u000C')
                        'u' -> { out.append(s.substring(at, at + 4).toInt(16).toChar()); at += 4 }
                        else -> out.append(e)
                    }
                    else -> out.append(c)
                }
            }
        }

        private fun number(): Any {
            val start = at
            while (at < s.length && (s[at].isDigit() || s[at] in "+-.eE")) at++
            val text = s.substring(start, at)
            return text.toLongOrNull() ?: text.toDouble()
        }
    }
}
