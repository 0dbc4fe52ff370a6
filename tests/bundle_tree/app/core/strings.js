// Lines that look like imports inside a string must stay as they are.
export const PYTHON = `
import gc
from genlab import api
export { nothing }
`;
