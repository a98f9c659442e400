/**
 * The `got` module that `@logto/connector-aliyun-dm` receives when Node runs the identity
 * server (resolved here by the hook in aliyun-routing.ts): real got, with the delivery route.
 */
import { got as realGot } from 'got';

import { createRoutedGot, markConnectorRouted } from './aliyun-routing.ts';

export * from 'got';

export const got = createRoutedGot(realGot);
export default got;

markConnectorRouted('node-module-hook');
