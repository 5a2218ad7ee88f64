package io.otaedge.control.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One uploaded package of a module's version. Immutable once stored except for its status (kept
 * apart, see {@link FirmwareRepository}); its bytes are the blob named by {@code sha256}.
 *
 * @param sourceVersion for a differential package the version it applies to; null for a full package
 * @param status        the release status; null in the stored record (it lives beside it), filled on read
 * @param sha1          the bytes' SHA-1 (hawkBit's DDI clients verify by it); null for packages uploaded before it was kept
 */
public record Firmware(String id, String productId, String version, String module, String fileName,
                       long size, String md5, String sha256, String createdAt, String sourceVersion,
                       FirmwareStatus status, String sha1) {

    /** The module of a product with a single firmware image (xiaozhi, LuatOS, Aliyun's empty moduleName). */
    public static final String DEFAULT_MODULE = "default";


    @JsonCreator
    public Firmware {
    }

    /** A package without its SHA-1 (as stored before it was kept). */
    public Firmware(String id, String productId, String version, String module, String fileName,
                    long size, String md5, String sha256, String createdAt, String sourceVersion, FirmwareStatus status) {
        this(id, productId, version, module, fileName, size, md5, sha256, createdAt, sourceVersion, status, null);
    }

    /** A full package, as uploaded before packages had a kind and a status. */
    public Firmware(String id, String productId, String version, String module, String fileName,
                    long size, String md5, String sha256, String createdAt) {
        this(id, productId, version, module, fileName, size, md5, sha256, createdAt, null, FirmwareStatus.ONLINE);
    }

    @JsonIgnore
    public boolean differential() {
        return sourceVersion != null;
    }

    /** {@code FULL} or {@code DIFFERENTIAL}, for readers of the JSON. */
    @JsonProperty(value = "packageType", access = JsonProperty.Access.READ_ONLY)
    public String packageType() {
        return differential() ? "DIFFERENTIAL" : "FULL";
    }

    public Firmware withSha1(String sha1) {
        return new Firmware(id, productId, version, module, fileName, size, md5, sha256, createdAt, sourceVersion, status, sha1);
    }

    public Firmware withStatus(FirmwareStatus s) {
        return new Firmware(id, productId, version, module, fileName, size, md5, sha256, createdAt, sourceVersion, s, sha1);
    }
}
