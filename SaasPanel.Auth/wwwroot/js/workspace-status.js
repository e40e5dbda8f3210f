// Follows the signed-in user's workspace over server-sent events and opens it the moment it runs.
(function () {
    const state = document.getElementById("workspace-state");
    const failed = document.getElementById("workspace-failed");
    const events = new EventSource(state.dataset.eventsUrl);

    events.addEventListener("status", function (event) {
        const status = JSON.parse(event.data);
        state.textContent = status.state;
        failed.hidden = !status.failed;
        if (status.ready) {
            events.close();
            window.location.assign(status.url);
        }
    });
    // After a blip (Auth restarting, network) EventSource reconnects by itself and gets the current state first;
    // it gives up only on an answer that is not a stream (signed out): then the page reloads and says why.
    events.addEventListener("error", function () {
        if (events.readyState === EventSource.CLOSED) {
            setTimeout(function () { window.location.reload(); }, 2000);
        }
    });
})();
