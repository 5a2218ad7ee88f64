package io.otaedge.control.admin;

/** What an admin handler answers: a status and a body to serialise as JSON (null = no body). */
public record AdminReply(int status, Object body) {

    public static AdminReply ok(Object body) {
        return new AdminReply(200, body);
    }

    public static AdminReply created(Object body) {
        return new AdminReply(201, body);
    }

    public static AdminReply noContent() {
        return new AdminReply(204, null);
    }
}
