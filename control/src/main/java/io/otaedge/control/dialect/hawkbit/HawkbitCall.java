package io.otaedge.control.dialect.hawkbit;

/**
 * One authorized DDI call: the tenant (the product id: one hawkBit tenant is one product here), the controller
 * (the device id), the product's settings and the base the reply's links are built on.
 *
 * @param origin scheme and authority of the links: the product's {@code baseUrl}, else {@code http://<Host>}
 */
record HawkbitCall(String productId, String deviceId, HawkbitSettings settings, String origin) {

    /** {@code <origin>/<tenant>/controller/v1/<controllerId>}. */
    String controllerUrl() {
        return origin + "/" + productId + "/controller/v1/" + deviceId;
    }
}
