package dev.autodidact.sandbox;

import java.util.Locale;
import java.util.Map;

/** One operation for the executor (see executor.py): an op name and its string fields. */
record Request(Op op, Map<String, Object> fields) {

    enum Op {
        /** exec a program in a fresh namespace, then eval an expression in it. */
        EVALUATE,
        /** The task program rules of METHOD.md: one function f, nothing banned. */
        CHECK_PROGRAM,
        /** The text is a Python literal. */
        CHECK_LITERAL,
        /** "f(" + text + ")" is one call with only literal arguments. */
        CHECK_ARGS,
        /** Two literal texts denote equal values of the same type families. */
        COMPARE;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Request {
        fields = Map.copyOf(fields);
    }

    static Request evaluate(String code, String expression) {
        return new Request(Op.EVALUATE, Map.of("code", code, "expression", expression));
    }

    /** Runs f(argsSource); with requireLiteral, a value that is not a printable literal is REJECTED. */
    static Request call(String code, String argsSource, boolean requireLiteral) {
        return new Request(Op.EVALUATE, Map.of(
                "code", code, "expression", callExpression(argsSource), "require_literal", requireLiteral));
    }

    static String callExpression(String argsSource) {
        return "f(" + argsSource + ")";
    }

    static Request checkProgram(String code) {
        return new Request(Op.CHECK_PROGRAM, Map.of("code", code));
    }

    static Request checkLiteral(String text) {
        return new Request(Op.CHECK_LITERAL, Map.of("text", text));
    }

    static Request checkArgs(String argsSource) {
        return new Request(Op.CHECK_ARGS, Map.of("text", argsSource));
    }

    static Request compare(String expected, String actual) {
        return new Request(Op.COMPARE, Map.of("expected", expected, "actual", actual));
    }

    /** Only evaluation runs the caller's code; checks merely parse it. */
    boolean runsProgram() {
        return op == Op.EVALUATE;
    }

    long textChars() {
        return fields.values().stream()
                .filter(String.class::isInstance)
                .mapToLong(value -> ((String) value).length())
                .sum();
    }
}
