// Follows the signed-in user's workspace until it runs, then opens it.
(function () {
    const state = document.getElementById("workspace-state");
    const failed = document.getElementById("workspace-failed");
    const url = state.dataset.statusUrl;

    async function poll() {
        try {
            const response = await fetch(url, { headers: { "Accept": "application/json" }, cache: "no-store" });
            if (response.ok) {
                const status = await response.json();
                state.textContent = status.state;
                failed.hidden = !status.failed;
                if (status.ready) {
                    window.location.assign(status.url);
                    return;
                }
            }
        } catch (e) {
            // A blip (Auth restarting, network): keep polling.
        }
        setTimeout(poll, 1000);
    }

    setTimeout(poll, 500);
})();
