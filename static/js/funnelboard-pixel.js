/* Funnelboard site pixel.
 *
 * Paste into the site's <head>:
 *   <script async src="https://funnelboard.example/t/BRAND_KEY/pixel.js" data-window-days="30"></script>
 *
 * On every page it reads fb_click / utm_campaign / utm_content from the URL and keeps them in
 * first-party cookies for the attribution window, then sends a "visit". Funnel events:
 *   window.funnelboard.track("signup")   // also download, registration, lead, demo, trial
 * Each event carries a random event_id, so a retried send is stored once.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  var endpoint = script.src.replace(/pixel\.js(\?.*)?$/, "event");
  var windowDays = parseInt(script.getAttribute("data-window-days") || "30", 10) || 30;
  var autoVisit = script.getAttribute("data-auto-visit") !== "false";

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) { return decodeURIComponent(parts[i].slice(eq + 1)); }
    }
    return "";
  }

  function writeCookie(name, value, days) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = name + "=" + encodeURIComponent(value) + "; Max-Age=" + days * 86400 +
      "; Path=/; SameSite=Lax" + secure;
  }

  function randomId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  var params = new URLSearchParams(location.search);
  var fromUrl = {
    click: params.get("fb_click"),
    campaign: params.get("utm_campaign"),
    content: params.get("utm_content")
  };
  // A new click (or new UTM pair) replaces the remembered one and restarts its window.
  if (fromUrl.click) { writeCookie("_fb_click", fromUrl.click.slice(0, 32), windowDays); }
  if (fromUrl.campaign && fromUrl.content) {
    writeCookie("_fb_utm", fromUrl.campaign.slice(0, 100) + "|" + fromUrl.content.slice(0, 100),
      windowDays);
  }
  var visitor = readCookie("_fb_vid");
  if (!visitor) { visitor = randomId(); }
  writeCookie("_fb_vid", visitor, 365);  // refreshed on every page

  function send(type, extra) {
    var utm = readCookie("_fb_utm").split("|");
    var body = {
      type: type,
      url: location.href.slice(0, 2000),
      referrer: (document.referrer || "").slice(0, 2000),
      visitor_id: visitor,
      click_id: readCookie("_fb_click"),
      event_id: (extra && extra.event_id) || randomId(),
      utm_campaign: utm.length === 2 ? utm[0] : "",
      utm_content: utm.length === 2 ? utm[1] : ""
    };
    var json = JSON.stringify(body);
    // text/plain keeps it a simple request (no preflight); the endpoint reads JSON anyway.
    if (navigator.sendBeacon && navigator.sendBeacon(endpoint, new Blob([json], { type: "text/plain" }))) {
      return;
    }
    if (window.fetch) {
      fetch(endpoint, { method: "POST", body: json, keepalive: true, mode: "cors",
        credentials: "omit", headers: { "Content-Type": "text/plain" } });
    }
  }

  var queued = (window.funnelboard && window.funnelboard.q) || [];
  window.funnelboard = { track: send };
  for (var i = 0; i < queued.length; i++) { send(queued[i][0], queued[i][1]); }
  if (autoVisit) { send("visit"); }
})();
