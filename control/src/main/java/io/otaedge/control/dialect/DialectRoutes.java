package io.otaedge.control.dialect;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.control.ControlConfig;
import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.dialect.aliyun.AliyunAdmin;
import io.otaedge.control.dialect.aliyun.AliyunHandler;
import io.otaedge.control.dialect.aliyun.AliyunRoutes;
import io.otaedge.control.dialect.fog.FogAdmin;
import io.otaedge.control.dialect.fog.FogAuth;
import io.otaedge.control.dialect.fog.FogDeviceHandler;
import io.otaedge.control.dialect.fog.FogFilesHandler;
import io.otaedge.control.dialect.fog.FogRoutes;
import io.otaedge.control.dialect.fog.FogStore;
import io.otaedge.control.dialect.luatos.LuatosAdmin;
import io.otaedge.control.dialect.luatos.LuatosDecisionHandler;
import io.otaedge.control.dialect.xiaozhi.XiaozhiActivateHandler;
import io.otaedge.control.dialect.xiaozhi.XiaozhiAdmin;
import io.otaedge.control.dialect.xiaozhi.XiaozhiOtaHandler;
import io.otaedge.control.dialect.xiaozhi.XiaozhiRoutes;
import io.otaedge.control.dialect.xiaozhi.XiaozhiStore;
import io.otaedge.control.edge.EdgeDirectory;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import io.otaedge.control.ratelimit.DeviceRateLimiter;
import io.otaedge.control.task.TaskRepository;
import java.time.Clock;
import java.util.List;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The dialects beyond OneNET (xiaozhi, MXCHIP FOG, Aliyun Living, LuatOS' decision), built over the one
 * engine, catalog and device store ({@link DeviceCheckService}, {@link DeviceProgressService}): their
 * device-facing routes and their operator endpoints.
 */
public final class DialectRoutes {

    private final XiaozhiRoutes xiaozhi;
    private final FogRoutes fog;
    private final AliyunRoutes aliyun;
    private final List<DialectAdmin> admins;

    public DialectRoutes(ControlConfig config, RedisClusterAsyncCommands<String, String> redis, ProductRepository products,
                         FirmwareRepository firmwares, TaskRepository tasks, DeviceRepository devices,
                         DeviceProgressService progress, DeviceCheckService checks, EdgeDirectory edges, Clock clock,
                         DeviceRateLimiter limiter) {
        XiaozhiStore xiaozhiStore = new XiaozhiStore(redis);
        this.xiaozhi = new XiaozhiRoutes(
                new XiaozhiOtaHandler(products, checks, xiaozhiStore, edges, clock, config.xiaozhi()),
                new XiaozhiActivateHandler(products, xiaozhiStore));
        FogStore fogStore = new FogStore(redis);
        FogAuth fogAuth = new FogAuth(fogStore);
        this.fog = new FogRoutes(new FogFilesHandler(fogAuth, fogStore, firmwares, tasks, clock),
                new FogDeviceHandler(fogAuth, fogStore, checks, progress, edges));
        this.aliyun = new AliyunRoutes(new AliyunHandler(products, devices, tasks, checks, progress,
                edges, clock, limiter));
        LuatosDecisionHandler luatos = config.internalSecret() == null ? null
                : new LuatosDecisionHandler(products, tasks, checks, config.internalSecret(), limiter);
        this.admins = List.of(new LuatosAdmin(products, luatos), new AliyunAdmin(products), new XiaozhiAdmin(products, xiaozhiStore, config.maxJsonBodySize()),
                new FogAdmin(products, fogStore));
    }

    public void register(HttpServerRoutes routes) {
        xiaozhi.register(routes);
        fog.register(routes);
        aliyun.register(routes);
    }

    /** Each dialect's rate-limit rule on the device port (OneNET's is {@link io.otaedge.control.dialect.onenet.OneNetRoutes#limitRule()}). */
    public List<DeviceApiLimits.Rule> limitRules() {
        return List.of(XiaozhiRoutes.limitRule(), FogRoutes.limitRule(), AliyunRoutes.limitRule());
    }

    public List<DialectAdmin> admin() {
        return admins;
    }
}
