package io.otaedge.control.dialect;

/** The download URL handed to devices whose dialect carries a full URL (FOG, xiaozhi, Aliyun). */
public final class EdgeUrls {

    private EdgeUrls() {
    }

    /** {@code http://<edge public address>/ota/download/<token>}. */
    public static String download(String edgePublicAddress, String token) {
        return "http://" + edgePublicAddress + "/ota/download/" + token;
    }
}
