// What `watch` says about its work, as JSON events (one object per line on stdout with --json, and the webhook's
// body for alerts), and how an alert is completed from the dump taken after it.
//
// Thread-safety: the functions are reentrant.
#ifndef LEAKHOUND_WATCH_EVENTS_H_
#define LEAKHOUND_WATCH_EVENTS_H_

#include <cstdint>
#include <string_view>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "leakhound/dump/model.h"
#include "leakhound/verdict/knowledge.h"
#include "leakhound/watch/alerts.h"

namespace leakhound::watch {

inline constexpr const char* kEventSchema = "leakhound.watch/v1";

// {"schema", "event": name, "time": now in UTC with milliseconds}.
nlohmann::json NewEvent(std::string_view name);

// The "alert" event; its "id" (key, round and time hashed) is what a webhook receiver de-duplicates on.
nlohmann::json AlertJson(const Alert& a);
// The alert as a Slack-compatible webhook body ({"text": ...}, mrkdwn): what fired where, the verdict and why, the
// blocking and creating sites, the dump. Also understood by Mattermost and Rocket.Chat incoming webhooks.
nlohmann::json SlackBody(const Alert& a, const std::string& id);

// Fills the alert from the debug=2 dump `d` taken after it: the bucket with the alert's portable signature gives the
// creating site and a verdict made with the richer format (states, wait times, created-by). `leaked`: ids a
// goroutineleak profile taken with the dump lists (empty when there is none): the alert counts how many of the
// bucket's goroutines the runtime proves leaked. Clears the dump's leaked flags.
void Enrich(dump::Dump& d, const std::unordered_set<uint64_t>& leaked, const verdict::KnowledgeBase& knowledge,
            Alert* a);

}  // namespace leakhound::watch

#endif  // LEAKHOUND_WATCH_EVENTS_H_
