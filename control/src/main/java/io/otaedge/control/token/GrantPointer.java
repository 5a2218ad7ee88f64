package io.otaedge.control.token;

import io.otaedge.common.json.Json;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.common.token.TokenStore;
import java.util.Optional;

/**
 * The value of a device's token pointer for a task: the token, a space, and a copy of its grant's
 * JSON. The copy lets a device's repeated check answer from the one script that records the check
 * (the grant's own key lives outside the product's hash tag), so revoking a token must clear the
 * pointer first ({@link TokenIssuer#revoke}). A pointer written before the copy existed holds the
 * bare token; its grant is then read from the token's key.
 *
 * @param token the token the pointer names
 * @param copy  the grant as it was issued; empty for a bare-token pointer
 */
public record GrantPointer(String token, Optional<TokenGrant> copy) {

    public static String encode(TokenGrant grant) {
        return grant.token() + ' ' + Json.string(grant);
    }

    public static GrantPointer decode(String value) {
        int space = value.indexOf(' ');
        if (space < 0) {
            return new GrantPointer(value, Optional.empty());
        }
        try {
            return new GrantPointer(value.substring(0, space), TokenStore.decode(value.substring(space + 1)));
        } catch (IllegalStateException corrupt) {
            // The grant's own key is the record; an unreadable copy only costs the read of it.
            return new GrantPointer(value.substring(0, space), Optional.empty());
        }
    }
}
