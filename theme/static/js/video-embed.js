/* Click-to-load for films on a video provider: nothing is requested from the provider until the visitor
   presses the button; then the provider's player replaces the placeholder. Without JavaScript the
   placeholder's plain link to the provider remains. */
(function () {
  "use strict";
  var embeds = document.querySelectorAll(".video-embed[data-embed-src]");
  Array.prototype.forEach.call(embeds, function (embed) {
    var button = embed.querySelector(".video-embed__button");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.className = "video-embed__frame";
      frame.src = embed.getAttribute("data-embed-src");
      frame.title = embed.getAttribute("data-embed-title") || "";
      frame.allow = "autoplay; fullscreen; picture-in-picture";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      embed.classList.add("video-embed--loaded");
      embed.replaceChildren(frame);
      frame.focus();
    });
  });
})();
