package io.otaedge.control.catalog;

/**
 * A product: a family of devices that share a firmware catalog and tasks.
 *
 * @param accessKey the OneNET access key (base64 of 32 random bytes) devices sign requests with
 */
public record Product(String productId, String name, String accessKey, String createdAt) {
}
