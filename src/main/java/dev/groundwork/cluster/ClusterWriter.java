package dev.groundwork.cluster;

import dev.groundwork.api.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.net.HttpURLConnection;
import java.time.Instant;

/** The only place groundwork writes baseline objects: server-side apply under the field manager "groundwork". */
public final class ClusterWriter implements BaselineWriter {
    public static final String FIELD_MANAGER = "groundwork";

    private final KubernetesClient client;

    public ClusterWriter(KubernetesClient client) {
        this.client = client;
    }

    /** Applies the desired fields, taking them back from any manager that changed them. */
    @Override
    public HasMetadata apply(HasMetadata desired) {
        return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /**
     * Writes an object whose desired value changes a field the API server will not update (a RoleBinding's roleRef):
     * delete and create. A dry-run create first lets the API server judge the new object (a role the operator may not
     * bind is refused with 403 before the name clash is noticed), so a refused object never costs the existing one.
     */
    @Override
    public HasMetadata recreate(HasMetadata desired, HasMetadata live) {
        try {
            client.resource(desired).dryRun().create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        try {
            delete(live);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
        return apply(desired);
    }

    @Override
    public void delete(HasMetadata live) {
        client.resource(live).delete();
    }

    /**
     * Leaves the object in place but no longer managed: the managed-by label goes (so it leaves our caches)
     * and an annotation records when. The product label stays, so the product can adopt it again.
     */
    @Override
    public void unmanage(HasMetadata live) {
        String patch = "{\"metadata\":{\"labels\":{\"" + Labels.MANAGED_BY + "\":null},"
                + "\"annotations\":{\"" + Labels.RETAINED + "\":\"" + Instant.now() + "\"}}}";
        client.resource(live).patch(new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE).withFieldManager(FIELD_MANAGER).build(), patch);
    }

    public KubernetesClient client() {
        return client;
    }
}
