package io.otaedge.control.catalog;

/**
 * One uploaded firmware version. Immutable once stored; its bytes are the blob named by {@code sha256}.
 */
public record Firmware(String id, String productId, String version, String module, String fileName,
                       long size, String md5, String sha256, String createdAt) {
}
