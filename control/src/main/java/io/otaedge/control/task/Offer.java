package io.otaedge.control.task;

/**
 * What a task offers and in which direction.
 *
 * @param type      module firmware (FOTA) or application (SOTA)
 * @param mode      CONFIRM (the user confirms on the device) or COMPELLENT (forced)
 * @param deltaOnly offer only differential packages (no full-package fallback)
 * @param rollback  a deliberate downgrade: offered to devices on newer (or unordered) versions too;
 *                  otherwise a task only ever upgrades (see {@code FirmwareVersion})
 */
public record Offer(UpgradeType type, UpgradeMode mode, boolean deltaOnly, boolean rollback) {

    public Offer {
        mode = mode == null ? UpgradeMode.COMPELLENT : mode;
    }
}
