import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in), 1 << 16);
        int n = Integer.parseInt(in.readLine().trim());
        String[] names = new String[n];
        String[][] deps = new String[n][];
        HashMap<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String line = in.readLine();
            int colon = line.indexOf(':');
            names[i] = line.substring(0, colon).trim();
            String rest = line.substring(colon + 1).trim();
            deps[i] = rest.isEmpty() ? new String[0] : rest.split("\\s+");
            idx.put(names[i], i);
        }
        int[] indeg = new int[n];
        List<List<Integer>> users = new ArrayList<>();
        for (int i = 0; i < n; i++) users.add(new ArrayList<>());
        for (int u = 0; u < n; u++) {
            indeg[u] = deps[u].length;
            for (String d : deps[u]) users.get(idx.get(d)).add(u);
        }
        ArrayDeque<Integer> q = new ArrayDeque<>();
        for (int u = 0; u < n; u++) if (indeg[u] == 0) q.add(u);
        int[] order = new int[n];
        int k = 0;
        while (!q.isEmpty()) {
            int u = q.poll();
            order[k++] = u;
            for (int v : users.get(u)) if (--indeg[v] == 0) q.add(v);
        }
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out)));
        if (k < n) {
            out.println("CYCLE");
        } else {
            for (int i = 0; i < n; i++) out.println(names[order[i]]);
        }
        out.flush();
    }
}
