package io.otaedge.control.task;

/**
 * A line of a device's task history ({@code <type>|<module>|<target version>}): enough to match a
 * later version report to the task without loading it.
 */
public record TaskRef(int type, String module, String targetVersion) {

    public static TaskRef of(UpgradeTask task) {
        return new TaskRef(task.upgradeType().code(), task.module(), task.targetVersion());
    }

    public String encode() {
        return type + "|" + module + "|" + targetVersion;
    }

    /** Null when the text is not an encoded reference. */
    public static TaskRef decode(String s) {
        String[] parts = s == null ? new String[0] : s.split("\\|", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            return new TaskRef(Integer.parseInt(parts[0]), parts[1], parts[2]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
