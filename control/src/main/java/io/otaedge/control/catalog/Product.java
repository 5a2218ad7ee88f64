package io.otaedge.control.catalog;

/**
 * A product: a family of devices that share a firmware catalog and tasks.
 *
 * @param accessKey the OneNET access key (base64 of 32 random bytes) devices sign requests with
 * @param status    {@link #ACTIVE} or {@link #ARCHIVED}; records written before archiving existed have none (active)
 */
public record Product(String productId, String name, String accessKey, String createdAt, String status) {

    public static final String ACTIVE = "active";
    /** Kept whole, but takes no new firmware or task, and its tasks were stopped when it was archived. */
    public static final String ARCHIVED = "archived";

    public Product {
        status = status == null ? ACTIVE : status;
    }

    public Product(String productId, String name, String accessKey, String createdAt) {
        this(productId, name, accessKey, createdAt, ACTIVE);
    }

    public boolean archived() {
        return ARCHIVED.equals(status);
    }

    public Product withStatus(String newStatus) {
        return new Product(productId, name, accessKey, createdAt, newStatus);
    }
}
