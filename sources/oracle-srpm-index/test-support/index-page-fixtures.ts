// Fixtures written by hand in the real shape of Apache's autoindex (oss.oracle.com/ol8/SRPMS-updates/) and of nginx's.
export const APACHE_INDEX = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<html>
 <head>
  <title>Index of /ol8/SRPMS-updates</title>
 </head>
 <body>
<h1>Index of /ol8/SRPMS-updates</h1>
  <table>
   <tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th><th><a href="?C=D;O=A">Description</a></th></tr>
   <tr><th colspan="5"><hr></th></tr>
<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="/ol8/">Parent Directory</a>       </td><td>&nbsp;</td><td align="right">  - </td><td>&nbsp;</td></tr>
<tr><td valign="top"><img src="/icons/unknown.gif" alt="[   ]"></td><td><a href="389-ds-base-1.4.3.35-1.module%2bel8.8.0%2b21037%2b8ee66348.src.rpm">389-ds-base-1.4.3.35-1.module+el8.8.0+21037+8ee66348.src.rpm</a></td><td align="right">2023-05-22 18:09  </td><td align="right">5.6M</td><td>&nbsp;</td></tr>
<tr><td valign="top"><img src="/icons/unknown.gif" alt="[   ]"></td><td><a href="kernel-4.18.0-477.27.1.0.1.el8_8.src.rpm">kernel-4.18.0-477.27.1.0.1.el8_8.src.rpm</a></td><td align="right">2023-09-21 07:12  </td><td align="right">127M</td><td>&nbsp;</td></tr>
<tr><td valign="top"><img src="/icons/unknown.gif" alt="[   ]"></td><td><a href="openssl-1.1.1k-9.el8_7.src.rpm">openssl-1.1.1k-9.el8_7.src.rpm</a></td><td align="right">2023-06-20 14:03  </td><td align="right">7.4M</td><td>&nbsp;</td></tr>
<tr><td valign="top"><img src="/icons/text.gif" alt="[TXT]"></td><td><a href="README.txt">README.txt</a></td><td align="right">2019-07-18 10:00  </td><td align="right">1.2K</td><td>&nbsp;</td></tr>
   <tr><th colspan="5"><hr></th></tr>
</table>
</body></html>
`;

export const NGINX_INDEX = `<html>
<head><title>Index of /ol9/SRPMS-updates/</title></head>
<body>
<h1>Index of /ol9/SRPMS-updates/</h1><hr><pre><a href="../">../</a>
<a href="bash-5.1.8-6.el9_1.src.rpm">bash-5.1.8-6.el9_1.src.rpm</a>                         24-Jan-2023 16:41             9353470
<a href="nodejs-18.14.2-2.module%2Bel9.1.0%2B21033%2B1d3e47f6.src.rpm">nodejs-18.14.2-2.module+el9.1.0+21033+1d3e47f6.sr..&gt;</a> 06-Mar-2023 09:05            73521312
</pre><hr></body>
</html>
`;
