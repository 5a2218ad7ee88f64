package io.otaedge.control.task;

import java.util.List;
import java.util.function.Predicate;

/** The shapes of {@link TaskFactory}'s field rules; each one words its refusal once, for every caller. */
final class FieldRules {

    private FieldRules() {
    }

    /** An integer field from {@code min} to {@code max}. */
    record Ints(String field, int min, int max) {

        int check(int value) {
            if (value < min || value > max) {
                throw refusal();
            }
            return value;
        }

        TaskRuleViolation refusal() {
            return new TaskRuleViolation(field, field + " must be an integer from " + min + " to " + max);
        }
    }

    /** A list of names (versions, device ids, models) each of which must pass {@code valid}. */
    record Names(String field, Predicate<String> valid, String what) {

        List<String> check(List<String> values) {
            if (!values.stream().allMatch(valid)) {
                throw refusal();
            }
            return values;
        }

        TaskRuleViolation refusal() {
            return new TaskRuleViolation(field, field + " must hold only " + what);
        }
    }

    static TaskRuleViolation notAnArray(String field) {
        return new TaskRuleViolation(field, field + " must be an array");
    }
}
