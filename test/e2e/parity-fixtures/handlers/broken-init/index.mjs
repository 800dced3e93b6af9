// Fixture: a function whose bundle imports a package nobody installed, so every invocation
// fails in the init phase, before the handler runs.
import { shout } from 'a-package-the-app-never-installed';

export const handler = async (event) => event.Records.map((r) => shout(r.body));
