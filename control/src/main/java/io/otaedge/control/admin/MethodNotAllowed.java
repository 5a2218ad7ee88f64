package io.otaedge.control.admin;

import io.otaedge.control.http.ApiException;

/** A known admin path asked with a method it does not answer: a 405 whose {@code Allow} lists the ones it does. */
final class MethodNotAllowed extends ApiException {

    private static final long serialVersionUID = 1L;

    private final String allow;

    MethodNotAllowed(String method, String path, String allow) {
        super(405, "method_not_allowed", path + " does not answer " + method + "; it answers " + allow);
        this.allow = allow;
    }

    String allow() {
        return allow;
    }
}
