package io.otaedge.common.token;

/**
 * What a download token grants: one firmware blob to one device for one task. Stored as JSON under
 * {@link io.otaedge.common.redis.RedisKeys#token(String)} with the token's TTL; the edge needs
 * nothing else to serve the bytes.
 *
 * @param token      the token itself
 * @param productId  the product the firmware belongs to
 * @param firmwareId the catalog id of the firmware
 * @param sha256     hex sha256 of the blob; also its address in the blob store and its ETag
 * @param md5        hex md5, the digest most device SDKs check
 * @param size       size of the blob in bytes
 * @param fileName   the file name the operator uploaded, for {@code Content-Disposition}
 * @param version    the firmware version
 * @param deviceId   the device the token was issued to
 * @param taskId     the upgrade task that issued it
 * @param issuedAt   epoch milliseconds
 * @param expiresAt  epoch milliseconds; Redis expires the key at the same moment
 * @param signal     the signal strength the device reported at the check that minted the token (OneNET's
 *                   {@code signals}), null when it reported none; absent from the JSON then, and in grants stored
 *                   before it existed. The edge's cell cap sorts the download into a signal band by it.
 */
public record TokenGrant(
        String token,
        String productId,
        String firmwareId,
        String sha256,
        String md5,
        long size,
        String fileName,
        String version,
        String deviceId,
        String taskId,
        long issuedAt,
        long expiresAt,
        Integer signal) {

    /** A grant without a reported signal. */
    public TokenGrant(String token, String productId, String firmwareId, String sha256, String md5, long size,
                      String fileName, String version, String deviceId, String taskId, long issuedAt, long expiresAt) {
        this(token, productId, firmwareId, sha256, md5, size, fileName, version, deviceId, taskId, issuedAt, expiresAt, null);
    }
}
