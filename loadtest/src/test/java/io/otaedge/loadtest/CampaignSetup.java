package io.otaedge.loadtest;

/**
 * What a dialect's set-up gets: the admin API, the campaign made so far (product, firmware,
 * task), and the firmware's bytes (for dialects that upload it again under their own module).
 */
public record CampaignSetup(OtaAdmin admin, Campaign campaign, byte[] firmware) {
}
