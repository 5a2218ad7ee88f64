package io.otaedge.control.admin;

/** What an admin handler answers: a status and a body to serialise as JSON (null = no body). */
record AdminReply(int status, Object body) {

    static AdminReply ok(Object body) {
        return new AdminReply(200, body);
    }

    static AdminReply created(Object body) {
        return new AdminReply(201, body);
    }

    static AdminReply noContent() {
        return new AdminReply(204, null);
    }
}
