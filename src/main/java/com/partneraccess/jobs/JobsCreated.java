package com.partneraccess.jobs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/** What a create-jobs request did: the new jobs, the account's count after it and when it reached the threshold (R12). */
public record JobsCreated(int created, List<UUID> ids, int jobCount, String jobThresholdReachedAt) {

  public JsonObject toJson() {
    JsonArray idList = new JsonArray();
    ids.forEach(id -> idList.add(id.toString()));
    return new JsonObject().put("created", created).put("ids", idList).put("jobCount", jobCount)
        .put("jobThresholdReachedAt", jobThresholdReachedAt);
  }
}
