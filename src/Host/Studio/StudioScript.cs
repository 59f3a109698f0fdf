namespace Exit.Host.Studio;

/// <summary>
/// Client-side view switching for the host page. Routes (relative to the base href):
/// <c>?view=definitions</c> (default), <c>?view=editor&amp;id={definitionId}</c>, <c>?view=instances</c>,
/// <c>?view=instance&amp;id={instanceId}</c>, and Studio's own <c>workflows/instances/{id}/view</c>
/// (where "Run" navigates) and <c>workflows/definitions/{id}/edit</c>.
/// </summary>
internal static class StudioScript
{
    public const string FileName = "exit-studio.js";

    public const string Source = """
        // Exit: switches between the Elsa Studio custom elements. Served by Exit.Host (src/Host/Studio/StudioScript.cs).
        (() => {
          'use strict';
          const tags = {
            definitions: 'elsa-workflow-definition-list',
            editor: 'elsa-workflow-definition-editor',
            instances: 'elsa-workflow-instance-list',
            instance: 'elsa-workflow-instance-viewer',
          };
          const titles = { definitions: 'Workflows', editor: 'Workflow editor', instances: 'Instances', instance: 'Instance' };
          const navFor = { definitions: 'definitions', editor: 'definitions', instances: 'instances', instance: 'instances' };
          const main = document.getElementById('exit-studio-view');
          const basePath = new URL(document.baseURI).pathname;

          function current() {
            const url = new URL(location.href);
            const rel = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : '';
            let m = /^workflows\/instances\/([^/]+)\/view\/?$/.exec(rel);
            if (m) return { view: 'instance', id: decodeURIComponent(m[1]) };
            m = /^workflows\/definitions\/([^/]+)\/edit\/?$/.exec(rel);
            if (m) return { view: 'editor', id: decodeURIComponent(m[1]) };
            const view = url.searchParams.get('view') || 'definitions';
            const id = url.searchParams.get('id');
            if ((view === 'editor' || view === 'instance') && id) return { view, id };
            if (view === 'instances') return { view };
            return { view: 'definitions' };
          }

          function urlFor(route) {
            const query = new URLSearchParams({ view: route.view });
            if (route.id) query.set('id', route.id);
            return new URL('./?' + query.toString(), document.baseURI).href;
          }

          function go(route) {
            history.pushState(null, '', urlFor(route));
            render();
          }

          let shown = null;
          let generation = 0;

          async function render() {
            const route = current();
            const key = route.view + '\n' + (route.id || '');
            if (key === shown) return;
            shown = key;
            const mine = ++generation;
            for (const link of document.querySelectorAll('[data-exit-nav]')) {
              if (link.dataset.exitNav === navFor[route.view]) link.setAttribute('aria-current', 'page');
              else link.removeAttribute('aria-current');
            }
            document.title = 'Exit – ' + titles[route.view] + (route.id ? ' ' + route.id : '');
            const tag = tags[route.view];
            // Properties set before Blazor defines the element would shadow its setters, so wait for the definition.
            await customElements.whenDefined(tag);
            if (mine !== generation) return;
            const element = document.createElement(tag);
            switch (route.view) {
              case 'definitions':
                element.editWorkflowDefinition = id => go({ view: 'editor', id });
                break;
              case 'editor':
                element.setAttribute('definition-id', route.id);
                break;
              case 'instances':
                element.viewWorkflowInstance = id => go({ view: 'instance', id });
                break;
              case 'instance':
                element.setAttribute('instance-id', route.id);
                element.editWorkflowDefinition = id => go({ view: 'editor', id });
                break;
            }
            main.dataset.view = route.view;
            main.replaceChildren(element);
          }

          document.addEventListener('click', event => {
            const link = event.target instanceof Element ? event.target.closest('a[data-exit-nav]') : null;
            if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
            event.preventDefault();
            history.pushState(null, '', link.href);
            render();
          });
          window.addEventListener('popstate', render);
          // Studio navigates by itself after "Run" (to workflows/instances/{id}/view). If Blazor does that with the
          // History API instead of a page load, follow it.
          for (const method of ['pushState', 'replaceState']) {
            const original = history[method];
            history[method] = function (...args) {
              const result = original.apply(this, args);
              queueMicrotask(render);
              return result;
            };
          }
          render();
        })();
        """;
}
