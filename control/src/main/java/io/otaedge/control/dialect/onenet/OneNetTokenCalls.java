package io.otaedge.control.dialect.onenet;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.catalog.Product;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.progress.Transition;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.UpgradeType;
import java.time.Clock;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * OneNET's calls about one download token: the token check ({@code GET /ota/south/download/{token}/check}),
 * the progress/state call ({@code POST /ota/south/device/download/{token}/progress}) and the alternative
 * report ({@code POST /ota/south/report?dev_id&token}). Each authenticates first (errno 1 before any
 * verdict on the body or the token), ties the token to the device, and turns the code into a move of
 * {@link DeviceProgressService}. Progress and report calls that pass authentication and name a known code count
 * as progress reports.
 */
public final class OneNetTokenCalls {

    private final OneNetAuthenticator authenticator;
    private final TokenStore tokens;
    private final DeviceProgressService progress;
    private final DeviceRepository devices;
    private final Clock clock;
    private final DialectMeters meters;

    OneNetTokenCalls(OneNetAuthenticator authenticator, TokenStore tokens, DeviceProgressService progress,
                     DeviceRepository devices, Clock clock, DialectMeters meters) {
        this.clock = clock;
        this.meters = meters;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.progress = progress;
        this.devices = devices;
    }

    /** errno 0 (now downloading), 4 token of another device, 12 expired, 17 state, 20 finished, 21, 22 cancelled. */
    public Publisher<Void> check(HttpServerRequest request, HttpServerResponse response) {
        String auth = request.requestHeaders().get("Authorization");
        Map<String, String> q = OneNetCalls.query(request);
        return OneNetCalls.withoutBody(request, response, "token check",
                OneNetCalls.authenticated(authenticator, auth)
                        .flatMap(product -> grant(product, request.param("token"), q.get("dev_id"), OneNetErrno.TOKEN_EXPIRED,
                                OneNetErrno.TOKEN_DEVICE_MISMATCH))
                        .flatMap(g -> progress.reportState(g.productId(), g.deviceId(), g.taskId(), DeviceTaskState.DOWNLOADING,
                                "token checked"))
                        .map(t -> reply(t, OneNetErrno.INVALID_STATE, OneNetErrno.LOGIC_ERROR)));
    }

    /** Body {@code {"step":n}}: errno as the token check, 2 for a missing or unknown step. */
    public Publisher<Void> progress(HttpServerRequest request, HttpServerResponse response) {
        Map<String, String> q = OneNetCalls.query(request);
        String token = request.param("token");
        return OneNetCalls.withBody(request, response, "progress", authenticator, OneNetErrno.BAD_PARAMETERS, (product, body) -> {
            OneNetStates.Move move = move(body, "step", OneNetErrno.BAD_PARAMETERS, false);
            meters.progressReport();
            return grant(product, token, q.get("dev_id"), OneNetErrno.TOKEN_EXPIRED, OneNetErrno.TOKEN_DEVICE_MISMATCH)
                    .flatMap(g -> apply(g, move))
                    .map(t -> reply(t, OneNetErrno.INVALID_STATE, OneNetErrno.LOGIC_ERROR));
        });
    }

    /** Body {@code {"result":n}}, n a state code: errno 0, 1 token, 2 unknown code, 20, 22, 24 bad result. */
    public Publisher<Void> report(HttpServerRequest request, HttpServerResponse response) {
        Map<String, String> q = OneNetCalls.query(request);
        return OneNetCalls.withBody(request, response, "report", authenticator, OneNetErrno.BAD_RESULT, (product, body) -> {
            OneNetStates.Move move = move(body, "result", OneNetErrno.BAD_RESULT, true);
            meters.progressReport();
            return grant(product, q.get("token"), q.get("dev_id"), OneNetErrno.AUTH_FAILED, OneNetErrno.AUTH_FAILED)
                    .flatMap(g -> apply(g, move))
                    .map(t -> reply(t, OneNetErrno.BAD_RESULT, OneNetErrno.AUTH_FAILED));
        });
    }

    /** The code in {@code field}: not an integer earns {@code notANumber}, an undefined code errno 2. */
    private static OneNetStates.Move move(JsonNode body, String field, OneNetErrno notANumber, boolean statesOnly) {
        Integer code = OneNetCalls.intField(body, field);
        if (code == null) {
            throw OneNetCalls.refuse(notANumber, field + " must be an integer");
        }
        OneNetStates.Move move = statesOnly && !OneNetStates.isStateCode(code) ? null : OneNetStates.moveOf(code);
        if (move == null) {
            throw OneNetCalls.refuse(OneNetErrno.BAD_PARAMETERS, "unknown " + field + " " + code);
        }
        return move;
    }

    private Mono<Transition> apply(TokenGrant g, OneNetStates.Move move) {
        Mono<Transition> moved = progress.reportState(g.productId(), g.deviceId(), g.taskId(), move.to(), move.step(),
                move.desc(), move.onlyFrom())
                .map(t -> OneNetStates.alreadyPast(move, t)
                        ? new Transition(Transition.Outcome.UNCHANGED, t.from(), t.from(), false, false) : t);
        if (move.to() != DeviceTaskState.SUCCEEDED) {
            return moved;
        }
        // 201: the device now runs the target; its version of the task's type says so until it reports again.
        return moved.flatMap(t -> t.outcome() != Transition.Outcome.APPLIED ? Mono.just(t)
                : progress.taskProgress(g.productId(), g.deviceId(), g.taskId())
                        .flatMap(p -> devices.recordVersion(g.productId(), g.deviceId(),
                                DeviceRepository.versionField(UpgradeType.ofCode(p.type())), g.version(), clock.millis()))
                        .thenReturn(t));
    }

    /**
     * The token's grant when it belongs to the authenticated product and was issued to {@code devId};
     * an unknown or expired token earns {@code unknown}, another device's (or product's) {@code mismatch}.
     */
    private Mono<TokenGrant> grant(Product product, String token, String devId, OneNetErrno unknown, OneNetErrno mismatch) {
        return Mono.defer(() -> {
            String device = Long.toString(OneNetCheckRequest.devId(devId));
            if (token == null || token.isEmpty() || token.length() > 128) {
                return Mono.error(OneNetCalls.refuse(unknown, "no token"));
            }
            return Mono.fromCompletionStage(() -> tokens.find(token))
                    .flatMap(found -> found.isEmpty() ? Mono.error(OneNetCalls.refuse(unknown, "unknown token"))
                            : found.get().productId().equals(product.productId()) && found.get().deviceId().equals(device)
                                    ? Mono.just(found.get())
                                    : Mono.error(OneNetCalls.refuse(mismatch, "the token is another device's")));
        });
    }

    /** A move's outcome as errno; an illegal move after the end of the device's task is "finished" (20). */
    private static OneNetReply reply(Transition t, OneNetErrno illegal, OneNetErrno notInTask) {
        OneNetErrno errno = switch (t.outcome()) {
            case APPLIED, UNCHANGED -> OneNetErrno.SUCCESS;
            case CANCELLED -> OneNetErrno.TASK_CANCELLED;
            case RETRY_LIMIT -> OneNetErrno.TASK_FINISHED;
            case NOT_IN_TASK -> notInTask;
            case ILLEGAL -> t.from() != null && t.from().terminal() ? OneNetErrno.TASK_FINISHED : illegal;
        };
        return errno == OneNetErrno.SUCCESS ? OneNetReply.ok(Map.of()) : OneNetReply.error(errno);
    }
}
