package io.otaedge.control.tls;

import io.otaedge.common.config.Settings;
import io.otaedge.common.tls.PemTls;

/**
 * TLS for control's two ports, each its own PEM pair (the device port may face devices with a public
 * certificate while the operator port uses an internal one): {@code OTA_CONTROL_TLS_CERT}/{@code _KEY} for the
 * device port, {@code OTA_ADMIN_TLS_CERT}/{@code _KEY} for the operator port. Unset = plain HTTP.
 */
public record ControlTls(PemTls device, PemTls admin) {

    public static final String DEVICE_CERT = "OTA_CONTROL_TLS_CERT";
    public static final String DEVICE_KEY = "OTA_CONTROL_TLS_KEY";
    public static final String ADMIN_CERT = "OTA_ADMIN_TLS_CERT";
    public static final String ADMIN_KEY = "OTA_ADMIN_TLS_KEY";

    public static final ControlTls OFF = new ControlTls(PemTls.off(DEVICE_CERT + "/" + DEVICE_KEY),
            PemTls.off(ADMIN_CERT + "/" + ADMIN_KEY));

    public static ControlTls from(Settings s) {
        return new ControlTls(PemTls.from(s, DEVICE_CERT, DEVICE_KEY), PemTls.from(s, ADMIN_CERT, ADMIN_KEY));
    }

    public boolean any() {
        return device.enabled() || admin.enabled();
    }
}
