package io.switchboard.tools.builtin;

import io.switchboard.tools.ToolException;

/**
 * Evaluates arithmetic: numbers, {@code + - * / % ^}, signs and parentheses, with the usual
 * precedence ({@code ^} binds tighter than a sign and groups to the right). Nothing is ever executed as code.
 */
final class ExpressionParser {
    static final int MAX_LENGTH = 500;
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int position;
    private int depth;

    private ExpressionParser(String text) {
        this.text = text;
    }

    static double evaluate(String expression) throws ToolException {
        if (expression.length() > MAX_LENGTH) {
            throw new ToolException("the expression is longer than " + MAX_LENGTH + " characters");
        }
        ExpressionParser parser = new ExpressionParser(expression);
        parser.skipSpaces();
        if (parser.atEnd()) {
            throw new ToolException("the expression is empty");
        }
        double value = parser.sum();
        parser.skipSpaces();
        if (!parser.atEnd()) {
            throw parser.unexpected();
        }
        if (!Double.isFinite(value)) {
            throw new ToolException("the result is too large to represent");
        }
        return value;
    }

    private double sum() throws ToolException {
        double value = product();
        while (true) {
            if (take('+')) {
                value += product();
            } else if (take('-')) {
                value -= product();
            } else {
                return value;
            }
        }
    }

    private double product() throws ToolException {
        double value = unary();
        while (true) {
            if (take('*')) {
                value *= unary();
            } else if (take('/')) {
                double divisor = unary();
                if (divisor == 0) {
                    throw new ToolException("division by zero");
                }
                value /= divisor;
            } else if (take('%')) {
                double divisor = unary();
                if (divisor == 0) {
                    throw new ToolException("division by zero");
                }
                value %= divisor;
            } else {
                return value;
            }
        }
    }

    // A sign binds looser than ^, so -2 ^ 2 is -4; the exponent may carry a sign of its own.
    private double unary() throws ToolException {
        if (take('-')) {
            return -nested(this::unary);
        }
        if (take('+')) {
            return nested(this::unary);
        }
        return power();
    }

    private double power() throws ToolException {
        double base = primary();
        if (take('^')) {
            return Math.pow(base, nested(this::unary));
        }
        return base;
    }

    private double primary() throws ToolException {
        if (take('(')) {
            double value = nested(this::sum);
            if (!take(')')) {
                throw new ToolException("missing ')' at position " + (position + 1));
            }
            return value;
        }
        return number();
    }

    private double number() throws ToolException {
        skipSpaces();
        int start = position;
        while (!atEnd() && (Character.isDigit(text.charAt(position)) || text.charAt(position) == '.')) {
            position++;
        }
        if (start == position) {
            throw unexpected();
        }
        try {
            return Double.parseDouble(text.substring(start, position));
        } catch (NumberFormatException e) {
            throw new ToolException("'" + text.substring(start, position) + "' is not a number");
        }
    }

    private interface Step {
        double parse() throws ToolException;
    }

    private double nested(Step step) throws ToolException {
        if (++depth > MAX_DEPTH) {
            throw new ToolException("the expression nests deeper than " + MAX_DEPTH + " levels");
        }
        try {
            return step.parse();
        } finally {
            depth--;
        }
    }

    private boolean take(char c) {
        skipSpaces();
        if (!atEnd() && text.charAt(position) == c) {
            position++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (!atEnd() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private boolean atEnd() {
        return position >= text.length();
    }

    private ToolException unexpected() {
        if (atEnd()) {
            return new ToolException("the expression ends too early");
        }
        return new ToolException("unexpected '" + text.charAt(position) + "' at position " + (position + 1));
    }
}
