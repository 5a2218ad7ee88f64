package io.otaedge.control.task;

/**
 * A task the {@link TaskFactory} refuses: which field and why, in words the admin API returns as they are.
 * Each caller maps it to a refusal in its own dialect.
 */
public final class TaskRuleViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public TaskRuleViolation(String field, String message) {
        super(message, null, false, false); // an expected outcome, not a bug: no stack trace
        this.field = field;
    }

    public String field() {
        return field;
    }
}
