package io.otaedge.edge.range;

/** What conditional requests compare against (RFC 9110 §8.8): a representation's strong entity tag and date. */
public interface Validators {

    /** The strong entity tag, quoted. */
    String etag();

    /** Last-Modified in epoch milliseconds, truncated to the second as HTTP dates are. */
    long lastModifiedMillis();
}
